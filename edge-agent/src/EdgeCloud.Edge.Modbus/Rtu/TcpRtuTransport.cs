using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// An <see cref="IRtuTransport"/> over TCP (TCP_NODELAY, keep-alive), for serial device servers
/// that pass RTU frames through unchanged ("RTU over TCP"). The gateway keeps the serial timing,
/// so no inter-frame delay is added here.
/// </summary>
internal sealed class TcpRtuTransport(string host, int port) : IRtuTransport
{
    // Gateways forward serial bytes in bursts of their own; a frame stalled longer than this is cut short.
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(100);

    private Socket? _socket;

    /// <inheritdoc />
    public string Endpoint => $"{host}:{port}";

    /// <inheritdoc />
    public bool IsOpen => _socket is not null;

    /// <inheritdoc />
    public TimeSpan InterFrameDelay => TimeSpan.Zero;

    /// <inheritdoc />
    public TimeSpan IncompleteFrameGap => Gap;

    /// <inheritdoc />
    public int BytesAvailable => _socket?.Available ?? 0;

    /// <inheritdoc />
    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            return;
        }

        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                _socket = socket;
                return;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var socket = Socket;
        var sent = 0;
        while (sent < frame.Length)
        {
            sent += await socket.SendAsync(frame[sent..], SocketFlags.None, cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        Socket.ReceiveAsync(destination, SocketFlags.None, cancellationToken);

    /// <inheritdoc />
    public void Close()
    {
        var socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private Socket Socket => _socket ?? throw new IOException($"{host}:{port} is not connected");
}
