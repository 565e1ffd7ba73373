using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Hosting.Journal;

/// <summary>
/// Logs to the systemd journal through its native socket, with structured fields: <c>MESSAGE</c>,
/// <c>PRIORITY</c> (syslog levels), <c>SYSLOG_IDENTIFIER</c>, <c>EVENT_ID</c>, <c>LOGGER</c>, <c>EXCEPTION</c>,
/// and each placeholder of the message as a field of its own (<c>{Device}</c> as <c>DEVICE</c>,
/// <c>{Tag}</c> as <c>TAG</c>), so that <c>journalctl -u edge-agent DEVICE=plc1</c> finds a device's lines.
/// A datagram that cannot be sent (journald restarting) is written to stderr instead, which systemd also
/// collects: no line is lost for want of fields.
/// </summary>
internal sealed class JournalLoggerProvider : ILoggerProvider
{
    /// <summary>journald's native socket.</summary>
    public const string DefaultSocket = "/run/systemd/journal/socket";

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly Lock _lock = new();

    /// <summary>Creates a provider that sends to <paramref name="socketPath"/> under <paramref name="identifier"/>.</summary>
    public JournalLoggerProvider(string socketPath, string identifier = "edge-agent")
    {
        _endPoint = new UnixDomainSocketEndPoint(socketPath);
        Identifier = identifier;
        _socket.SendTimeout = 1000;
    }

    /// <summary>The <c>SYSLOG_IDENTIFIER</c>.</summary>
    public string Identifier { get; }

    /// <summary>
    /// The provider when systemd connected the agent's stderr to the journal and the journal's socket exists;
    /// null otherwise (a terminal, a pipe: the console logger stays).
    /// </summary>
    public static JournalLoggerProvider? FromEnvironment() =>
        StderrIsJournal(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) && File.Exists(DefaultSocket) ? new JournalLoggerProvider(DefaultSocket) : null;

    /// <summary>
    /// systemd.exec(5): <c>$JOURNAL_STREAM</c> is "device:inode" of the stream systemd connected, and is inherited
    /// by children whose output went elsewhere, so it counts only when stderr is still that socket (a test
    /// harness or a shell pipe reading the agent's output must keep getting it).
    /// </summary>
    internal static bool StderrIsJournal(string? journalStream)
    {
        if (journalStream?.Split(':') is not [_, var inode] || inode.Length == 0)
        {
            return false;
        }

        try
        {
            return string.Equals(new FileInfo("/proc/self/fd/2").LinkTarget, $"socket:[{inode}]", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public ILogger CreateLogger(string categoryName) => new JournalLogger(this, categoryName);

    /// <summary>Sends one entry; false (and the line on stderr) when it could not be delivered.</summary>
    internal bool Send(JournalEntry entry, string fallbackLine)
    {
        lock (_lock)
        {
            try
            {
                if (_socket.SendTo(entry.Bytes, SocketFlags.None, _endPoint) == entry.Bytes.Length)
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Handled below: the line goes to stderr.
            }
        }

        Console.Error.WriteLine(fallbackLine);
        return false;
    }

    public void Dispose() => _socket.Dispose();
}
