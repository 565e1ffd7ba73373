using System.Buffers.Binary;
using System.IO.Ports;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Fakes;

/// <summary>
/// A misbehaving RTU slave on the device end of a socat pty pair, for the line faults pymodbus
/// cannot be made to produce: CRC errors, frames cut short, garbage, replies from the wrong unit
/// and late replies. The script reads requests and writes raw bytes; its CRC is computed bit by
/// bit here, independently of the master's table-driven one. Dispose stops the script and socat.
/// </summary>
internal sealed class FakeRtuDevice : IAsyncDisposable
{
    private readonly SocatPtyPair _line;
    private readonly SerialPort _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private FakeRtuDevice(SocatPtyPair line, SerialPort port, Func<FakeRtuDevice, Task> script)
    {
        _line = line;
        _port = port;
        _run = RunAsync(script);
    }

    /// <summary>The pty end the master opens.</summary>
    public string MasterPath => _line.MasterPath;

    public CancellationToken Stop => _stop.Token;

    public static async Task<FakeRtuDevice> StartAsync(Func<FakeRtuDevice, Task> script)
    {
        var line = await SocatPtyPair.StartAsync();
        var port = new SerialPort(line.DevicePath, 115200, Parity.None, 8, StopBits.One);
        port.Open();
        return new FakeRtuDevice(line, port, script);
    }

    /// <summary>Reads one 8-byte request (functions 3, 4, 6): unit, function, address, quantity or value.</summary>
    public async Task<(byte Unit, byte Function, ushort Address, ushort Count)> ReadRequestAsync()
    {
        var frame = new byte[8];
        await _port.BaseStream.ReadExactlyAsync(frame, Stop);
        return (frame[0], frame[1], BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)), BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(4)));
    }

    /// <summary>A read reply frame with a correct CRC.</summary>
    public static byte[] ReadReply(byte unit, byte function, params ushort[] registers)
    {
        var frame = new byte[5 + (registers.Length * 2)];
        frame[0] = unit;
        frame[1] = function;
        frame[2] = (byte)(registers.Length * 2);
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3 + (i * 2)), registers[i]);
        }

        var crc = Crc(frame.AsSpan(0, frame.Length - 2));
        frame[^2] = (byte)crc;
        frame[^1] = (byte)(crc >> 8);
        return frame;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _port.BaseStream.WriteAsync(bytes, Stop);
        await _port.BaseStream.FlushAsync(Stop);
    }

    public Task StallAsync() => Task.Delay(Timeout.Infinite, Stop);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _port.Dispose();
        await _line.DisposeAsync();
        _stop.Dispose();
    }

    private static ushort Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return (ushort)crc;
    }

    private async Task RunAsync(Func<FakeRtuDevice, Task> script)
    {
        try
        {
            await script(this);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
        {
            // The test ended.
        }
    }
}
