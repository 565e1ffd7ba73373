using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Simulator;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Simulator;

/// <summary>Our master against our simulator, with the simulator's clock faked so values are exact.</summary>
public sealed class ModbusSimulatorTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ModbusSimulator _simulator;
    private readonly ModbusTcpMaster _master;

    public ModbusSimulatorTests()
    {
        _simulator = ModbusSimulator.Start(new ModbusSimulatorOptions(), _time);
        _master = new ModbusTcpMaster("127.0.0.1", _simulator.EndPoint.Port, Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _master.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Read_AtStart_ServesTheDocumentedStartValues()
    {
        var values = await ReadAllAsync();

        Assert.Equal(21.5, values["temperature"], 1e-5);
        Assert.Equal(1013.25, values["pressure"]);
        Assert.Equal(50.0, values["level"], 1e-9);
        Assert.Equal(3_000_000_000, values["counter"]);
        Assert.Equal(-50_000, values["position"]);
        Assert.Equal(86_400, values["runtime"]);
        Assert.Equal(21.5, values["setpoint"], 1e-9);
        Assert.Equal(0x8000, values["status"]);
        Assert.Equal(12.5, values["flow"]);
    }

    [Fact]
    public async Task Read_AfterFifteenSeconds_FollowsTheClock()
    {
        _time.Advance(TimeSpan.FromSeconds(15));

        var values = await ReadAllAsync();

        Assert.Equal(24.0, values["temperature"], 1e-5); // sin(2π·15/60) = 1
        Assert.Equal(3_000_000_015, values["counter"]);
        Assert.Equal(86_415, values["runtime"]);
        Assert.Equal(0x8001, values["status"]);
        Assert.Equal(100_000 * Math.Sin(2 * Math.PI * 15 / 90) - 50_000, values["position"], 0.5);
    }

    [Fact]
    public async Task WriteSingleRegister_ThenTimePasses_KeepsTheWrittenValue()
    {
        await _master.WriteSingleRegisterAsync(1, 0, 0x4120, CancellationToken.None);
        await _master.WriteSingleRegisterAsync(1, 1, 0x0000, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15));

        var values = await ReadAllAsync();

        Assert.Equal(10.0, values["temperature"]); // 0x41200000 = 10.0f, no longer driven by the clock
        Assert.Equal(3_000_000_015, values["counter"]); // its neighbours still are
    }

    [Fact]
    public async Task WriteMultipleRegisters_FreeArea_ReadsBack()
    {
        await _master.WriteMultipleRegistersAsync(1, 20, new ushort[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal([1, 2, 3], await _master.ReadHoldingRegistersAsync(1, 20, 3, CancellationToken.None));
    }

    [Theory]
    [InlineData(ModbusRegisterArea.Holding, 99, 2)]
    [InlineData(ModbusRegisterArea.Input, 16, 1)]
    public async Task Read_OutsideTheMap_ThrowsIllegalDataAddress(ModbusRegisterArea area, int start, int count)
    {
        var ex = await Assert.ThrowsAsync<ModbusException>(
            () => _master.ReadRegistersAsync(area, 1, (ushort)start, new ushort[count], CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Fact]
    public async Task Read_OtherUnitId_ThrowsGatewayTargetFailedToRespond()
    {
        var ex = await Assert.ThrowsAsync<ModbusException>(() => _master.ReadHoldingRegistersAsync(7, 0, 1, CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, ex.ExceptionCode);
    }

    [Fact]
    public async Task Request_UnsupportedFunction_AnswersIllegalFunction()
    {
        using var socket = await ConnectRawAsync();

        // Function 7 (read exception status, serial line only), no data.
        await socket.SendAsync(new byte[] { 0x12, 0x34, 0, 0, 0, 2, 1, 0x07 }, SocketFlags.None);
        var reply = await ReceiveAsync(socket, 9);

        Assert.Equal(new byte[] { 0x12, 0x34, 0, 0, 0, 3, 1, 0x87, 0x01 }, reply);
    }

    [Fact]
    public async Task Request_BadProtocolId_ClosesTheConnection()
    {
        using var socket = await ConnectRawAsync();

        await socket.SendAsync(new byte[] { 0, 1, 0, 5, 0, 6, 1, 0x03, 0, 0, 0, 1 }, SocketFlags.None);

        // Closed with the rest of the request unread, so Linux answers with a reset rather than a FIN.
        try
        {
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Timeout));
        }
        catch (SocketException ex)
        {
            Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        }
    }

    [Fact]
    public async Task Read_ManyConcurrentClients_EachServed()
    {
        var masters = Enumerable.Range(0, 8).Select(_ => new ModbusTcpMaster("127.0.0.1", _simulator.EndPoint.Port, Timeout)).ToList();
        try
        {
            var reads = masters.Select(async m =>
            {
                for (var i = 0; i < 20; i++)
                {
                    var registers = await m.ReadHoldingRegistersAsync(1, 5, 2, CancellationToken.None);
                    Assert.Equal([0xB2D0, 0x5E00], registers); // 3 000 000 000 = 0xB2D05E00
                }
            });

            await Task.WhenAll(reads);
        }
        finally
        {
            foreach (var master in masters)
            {
                await master.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RunAsync_UntilCancelled_PrintsWhereItListensAndServes()
    {
        using var output = new ConcurrentStringWriter();
        using var stop = new CancellationTokenSource();
        var run = ModbusSimulator.RunAsync(0, listenOnAllInterfaces: false, unitId: 3, output, stop.Token);
        var port = 0;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (port == 0)
        {
            Assert.True(DateTime.UtcNow < until, "no listening line printed");
            var first = output.ToString().Split('\n')[0];
            var marker = "listening on 127.0.0.1:";
            var at = first.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && first.Contains(" (unit 3)", StringComparison.Ordinal))
            {
                port = int.Parse(first[(at + marker.Length)..first.IndexOf(' ', at + marker.Length)], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                await Task.Delay(20);
            }
        }

        await using (var master = new ModbusTcpMaster("127.0.0.1", port, Timeout))
        {
            Assert.Single(await master.ReadInputRegistersAsync(3, 0, 1, CancellationToken.None));
        }

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.Contains("temperature", output.ToString(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, double>> ReadAllAsync()
    {
        var holding = await _master.ReadHoldingRegistersAsync(1, 0, 12, CancellationToken.None);
        var input = await _master.ReadInputRegistersAsync(1, 0, 3, CancellationToken.None);
        var values = new Dictionary<string, double>();
        foreach (var tag in SimulatorRegisterMap.Tags)
        {
            var source = tag.Area == ModbusRegisterArea.Holding ? holding : input;
            Assert.True(RegisterDecoder.TryDecode(source.AsSpan(tag.Address), tag.ToTagConfig(), out var value), tag.Name);
            values[tag.Name] = value.AsDouble();
        }

        return values;
    }

    private async Task<Socket> ConnectRawAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _simulator.EndPoint.Port));
        return socket;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Timeout);
            Assert.NotEqual(0, n);
            read += n;
        }

        return buffer;
    }
}
