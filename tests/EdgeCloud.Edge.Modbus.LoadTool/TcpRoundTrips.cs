using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.LoadTool;

/// <summary>
/// Modbus TCP round trips per second on one connection, reading 10 holding registers (a 12-byte
/// request, a 29-byte reply): our master and pymodbus's client against the same pymodbus server,
/// then our master against a canned server beside a raw socket ping-pong of the same frame sizes
/// against that server, the physical bound of one connection on this machine.
/// </summary>
internal static class TcpRoundTrips
{
    private const int Registers = 10;

    public static async Task<int> RunAsync(int count)
    {
        Console.WriteLine($"Modbus TCP, one connection, {count:N0} reads of {Registers} holding registers each");
        await using (var server = await Peer.PythonAsync("pymodbus_server.py", "0"))
        {
            var ours = await OursAsync(server.Ready, count / 4);
            var theirs = double.Parse((await Peer.RunPythonAsync("pymodbus_client_bench.py", server.Ready.ToString(CultureInfo.InvariantCulture), (count / 4).ToString(CultureInfo.InvariantCulture), Registers.ToString(CultureInfo.InvariantCulture)))[5..], CultureInfo.InvariantCulture);
            Console.WriteLine($"  pymodbus server:  our master {ours,9:N0}/s   pymodbus client {theirs,9:N0}/s   ({ours / theirs:F2}x)");
        }

        await using (var canned = new CannedServer())
        {
            // Alternated and the best of three each: the machine is shared, and a burst of load
            // in one run must not decide the ratio.
            double raw = 0, ours = 0;
            for (var round = 0; round < 3; round++)
            {
                raw = Math.Max(raw, await RawPingPongAsync(canned.Port, count));
                ours = Math.Max(ours, await OursAsync(canned.Port, count));
            }

            Console.WriteLine($"  canned server:    our master {ours,9:N0}/s   raw socket ping-pong {raw,9:N0}/s   ({ours / raw:F2}x the bound)");
        }

        return 0;
    }

    private static async Task<double> OursAsync(int port, int count)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", port, TimeSpan.FromSeconds(5));
        var registers = new ushort[Registers];
        for (var i = 0; i < 200; i++)
        {
            await master.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await master.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawPingPongAsync(int port, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        byte[] request = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, Registers];
        var reply = new byte[9 + (2 * Registers)];
        async ValueTask OnceAsync()
        {
            await socket.SendAsync(request.AsMemory(), SocketFlags.None);
            var read = 0;
            while (read < reply.Length)
            {
                read += await socket.ReceiveAsync(reply.AsMemory(read), SocketFlags.None);
            }
        }

        for (var i = 0; i < 200; i++)
        {
            await OnceAsync();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await OnceAsync();
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
