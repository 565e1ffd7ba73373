using System.Runtime.InteropServices;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// A token cancelled by SIGINT (Ctrl+C) or SIGTERM, for the CLI tools that run until stopped
/// outside the generic host (which handles signals itself for <c>run</c>).
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // Keep the process alive: the tool stops by itself once the token is cancelled.
        context.Cancel = true;
        _source.Cancel();
    }
}
