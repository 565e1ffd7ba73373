using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Tcp;

/// <summary>Opening the connection of <see cref="ModbusTcpMaster"/>.</summary>
internal sealed partial class ModbusTcpMaster
{
    private async ValueTask EnsureConnectedAsync(CancellationToken linked, CancellationToken caller)
    {
        if (_socket is not null)
        {
            // Many devices close connections that sat idle; their FIN shows as "readable with
            // nothing to read". Reconnecting now spares this request a certain failure. A late
            // reply waiting in the buffer keeps the socket readable with data, so it is kept.
            if (!(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0))
            {
                return;
            }

            Close();
        }

        Socket socket;
        try
        {
            socket = await OpenSocketAsync(linked);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ModbusTransportException($"connect to {Endpoint} timed out after {_timeout.TotalMilliseconds:0} ms", null, whileConnecting: true);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new ModbusTransportException($"cannot connect to {Endpoint}: {Describe(ex)}", ex, whileConnecting: true);
        }

        _received = 0;
        _consecutiveTimeouts = 0;
        Volatile.Write(ref _socket, socket);
    }

    /// <summary>
    /// Connects to the first address of the host that accepts. The socket's family follows the
    /// address, so a gateway with IPv6 disabled still reaches an IPv4 device.
    /// </summary>
    private async ValueTask<Socket> OpenSocketAsync(CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(_host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(_host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.NoDelay = true;
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                await socket.ConnectAsync(new IPEndPoint(address, _port), cancellationToken);
                return socket;
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

    private static string Describe(Exception ex) => ex switch
    {
        SocketException socket => $"{socket.SocketErrorCode} ({socket.Message})",
        IOException { InnerException: SocketException socket } => $"{socket.SocketErrorCode} ({socket.Message})",
        _ => ex.Message,
    };
}
