using System.Net.Sockets;
using System.Text;

namespace EdgeCloud.Packaging.Tests.Hosting.Systemd;

/// <summary>
/// Plays systemd's side of sd_notify: a bound AF_UNIX datagram socket (a temp path, or an
/// abstract name) whose address goes into NOTIFY_SOCKET.
/// </summary>
public sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _file;

    private NotifyListener(string address, string? file)
    {
        Address = address;
        _file = file;
        _socket.Bind(new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address));
    }

    /// <summary>The NOTIFY_SOCKET value.</summary>
    public string Address { get; }

    /// <summary>A listener on a socket file in the temp folder.</summary>
    public static NotifyListener OnPath()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edgecloud-notify-{Guid.NewGuid():N}.sock");
        return new NotifyListener(file, file);
    }

    /// <summary>A listener on an abstract socket ('@' + name).</summary>
    public static NotifyListener Abstract() => new($"@edgecloud-notify-{Guid.NewGuid():N}", null);

    /// <summary>The next datagram, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var count = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.UTF8.GetString(buffer, 0, count);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Receives until a datagram satisfies <paramref name="match"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, List<string>? seen = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var message = await ReceiveAsync(until - DateTime.UtcNow);
            if (message is null)
            {
                break;
            }

            seen?.Add(message);
            if (match(message))
            {
                return message;
            }
        }

        Assert.Fail($"no matching notification within {timeout}; seen: {string.Join(" | ", seen ?? [])}");
        return "";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _socket.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
    }
}
