using System.Diagnostics;
using System.Globalization;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;

namespace EdgeCloud.Edge.Modbus.LoadTool;

/// <summary>
/// Modbus RTU transactions per second (10 holding registers: an 8-byte request, a 25-byte reply)
/// against pymodbus's RTU server on a socat pty pair, at 19200 and 115200 baud, beside the wire
/// limit for those frame sizes: (8 + 25 characters + 2 inter-frame gaps) at 10 bits a character
/// (8N1), gaps of 3.5 characters, or 1.75 ms above 19200 baud. A pty does not pace bytes at the
/// baud rate, so the master's own timing and the server are what limit the measured figure.
/// </summary>
internal static class RtuTransactions
{
    private const int Registers = 10;

    public static async Task<int> RunAsync(int count)
    {
        Console.WriteLine($"Modbus RTU on a socat pty, {count:N0} reads of {Registers} holding registers each (unit 1, 8N1)");
        foreach (var baud in new[] { 19200, 115200 })
        {
            var (master, device, socat) = await Peer.PtyPairAsync();
            await using (socat)
            await using (var server = await Peer.PythonAsync("pymodbus_rtu_server.py", "serial", device, baud.ToString(CultureInfo.InvariantCulture)))
            {
                var settings = new RtuSerialSettings(master, baud, System.IO.Ports.Parity.None, 8, System.IO.Ports.StopBits.One);
                await using var rtu = new RtuMaster(new SerialRtuTransport(settings), TimeSpan.FromSeconds(3));
                var registers = new ushort[Registers];
                for (var i = 0; i < 50; i++)
                {
                    await rtu.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
                }

                var watch = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    await rtu.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
                }

                var rate = count / watch.Elapsed.TotalSeconds;
                var character = 10.0 / baud;
                var gap = baud > 19200 ? 0.00175 : 3.5 * character;
                var wire = 1 / (((8 + 5 + (2 * Registers)) * character) + (2 * gap));
                Console.WriteLine($"  {baud,6} baud: {rate,7:N0} transactions/s   wire limit {wire,7:N0}/s   ({rate / wire:F2}x)   CRC/truncated/unexpected {rtu.CrcErrors}/{rtu.TruncatedFrames}/{rtu.UnexpectedFrames}");
            }
        }

        return 0;
    }
}
