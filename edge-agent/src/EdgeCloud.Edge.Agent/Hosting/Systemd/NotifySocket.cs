using System.Net.Sockets;
using System.Text;

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>
/// The sending end of systemd's notification protocol (sd_notify(3)): one datagram per state
/// change, newline-separated <c>KEY=VALUE</c> assignments, to the AF_UNIX datagram socket named
/// by <c>$NOTIFY_SOCKET</c>. A name starting with '@' is an abstract socket (the '@' stands for
/// a leading NUL byte). Sends never block the caller for long and never throw: losing a
/// notification must not take the agent down, the watchdog then does its job.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly Lock _lock = new();

    /// <summary>Creates a sender to <paramref name="address"/> (a path, or '@' + abstract name).</summary>
    public NotifySocket(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        Address = address;
        _endPoint = new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address);
        _socket.SendTimeout = 1000;
    }

    /// <summary>The socket address as systemd gave it.</summary>
    public string Address { get; }

    /// <summary>The sender systemd asked for through <c>$NOTIFY_SOCKET</c>, or null when there is none.</summary>
    public static NotifySocket? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 1 } address ? new NotifySocket(address) : null;

    /// <summary>Sends one notification (e.g. "WATCHDOG=1\nSTATUS=..."); false when it could not be delivered.</summary>
    public bool TrySend(string state)
    {
        var payload = Encoding.UTF8.GetBytes(state);
        lock (_lock)
        {
            try
            {
                return _socket.SendTo(payload, SocketFlags.None, _endPoint) == payload.Length;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
