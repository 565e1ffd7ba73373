using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Edge.Modbus.LoadTool;

/// <summary>
/// The fastest Modbus TCP server possible for a read of holding registers: it parses nothing but
/// the MBAP length and answers with a ready reply (the request's transaction id, register i =
/// start address + i), so round trips measure the client and the loopback, not the server. With
/// <c>lateEvery</c> set, every n-th reply is held back past <c>lateBy</c>: the late-reply soak.
/// One client at a time.
/// </summary>
internal sealed class CannedServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;

    public CannedServer(int lateEvery = 0, TimeSpan lateBy = default)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _serve = ServeAsync(lateEvery, lateBy, _stop.Token);
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _serve;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(int lateEvery, TimeSpan lateBy, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = await _listener.AcceptAsync(cancellationToken);
            client.NoDelay = true;
            var request = new byte[260];
            var reply = new byte[260];
            try
            {
                for (var n = 1; ; n++)
                {
                    if (!await ReadAsync(client, request.AsMemory(0, 7), cancellationToken)
                        || !await ReadAsync(client, request.AsMemory(7, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(4)) - 1), cancellationToken))
                    {
                        break;
                    }

                    var start = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(8));
                    var count = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(10));
                    request.AsSpan(0, 4).CopyTo(reply);
                    BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), (ushort)(3 + (2 * count)));
                    reply[6] = request[6];
                    reply[7] = request[7];
                    reply[8] = (byte)(2 * count);
                    for (var i = 0; i < count; i++)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(9 + (2 * i)), (ushort)(start + i));
                    }

                    if (lateEvery > 0 && n % lateEvery == 0)
                    {
                        await Task.Delay(lateBy, cancellationToken);
                    }

                    await client.SendAsync(reply.AsMemory(0, 9 + (2 * count)), SocketFlags.None, cancellationToken);
                }
            }
            catch (SocketException)
            {
                // The client left.
            }
        }
    }

    private static async ValueTask<bool> ReadAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
