using EdgeCloud.Edge.Agent.Hosting.Systemd;

namespace EdgeCloud.Packaging.Tests.Hosting.Systemd;

/// <summary>
/// Imitates the outbox's durable sequence: while flowing it advances on every read (a batch
/// committed between two watchdog ticks); <see cref="Wedge"/> freezes it, as a stuck batcher or
/// store would, which a real pipeline cannot be made to do on demand.
/// </summary>
internal sealed class FakePipelineProgress(bool expectsPoints = true) : IPipelineProgress
{
    private long _mark;
    private volatile bool _wedged;

    public ulong Mark => _wedged ? (ulong)Interlocked.Read(ref _mark) : (ulong)Interlocked.Increment(ref _mark);

    public bool ExpectsPoints => expectsPoints;

    public TimeSpan ExpectedLatency => TimeSpan.Zero;

    public void Wedge() => _wedged = true;

    public void Resume() => _wedged = false;
}
