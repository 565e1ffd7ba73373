using System.Diagnostics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Simulator;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Simulator;

/// <summary>Device profile files: loading, and serving them over TCP and over RTU on a socat pty pair.</summary>
public sealed class DeviceProfileTests
{
    internal const string Profile = """
        {
          // A small meter panel.
          "unitId": 7, "holding": 20, "input": 4, "coils": 8, "discreteInputs": 4,
          "tags": [
            { "name": "voltage", "address": 0, "type": "float32", "byteOrder": "CDAB",
              "wave": { "shape": "ramp", "min": 220, "max": 240, "periodSeconds": 100 } },
            { "name": "setpoint", "address": 2, "type": "int16", "scale": 0.1, "value": 21.5 },
            { "name": "model", "address": 4, "type": "string", "length": 4, "value": "EC-100" },
            { "name": "alarm", "address": 8, "type": "bool", "bit": 3, "value": true },
            { "name": "count", "area": "input", "address": 0, "type": "uint32", "wave": { "shape": "triangle", "min": 0, "max": 1000, "periodSeconds": 10 } },
            { "name": "pump", "area": "coil", "address": 1, "value": true },
            { "name": "blink", "area": "coil", "address": 2, "wave": { "shape": "square", "periodSeconds": 4 } },
            { "name": "door", "area": "discrete-input", "address": 3, "value": 1 }
          ]
        }
        """;

    [Fact]
    public async Task Parse_ProfileServedOverTcp_EveryTagReadsItsValue()
    {
        var time = new FakeTimeProvider();
        var profile = Load(Profile);
        await using var simulator = ModbusSimulator.Start(new ModbusSimulatorOptions { UnitId = profile.UnitId, Profile = profile }, time);
        time.Advance(TimeSpan.FromSeconds(25)); // ramp at a quarter, triangle at half, square in its first half
        await using var master = new Modbus.Tcp.ModbusTcpMaster("127.0.0.1", simulator.EndPoint.Port, TimeSpan.FromSeconds(3));

        var holding = await master.ReadHoldingRegistersAsync(7, 0, 10, CancellationToken.None);
        var input = await master.ReadInputRegistersAsync(7, 0, 2, CancellationToken.None);
        var coils = new bool[8];
        await master.ReadCoilsAsync(7, 0, coils, CancellationToken.None);
        var discrete = new bool[4];
        await master.ReadDiscreteInputsAsync(7, 0, discrete, CancellationToken.None);

        Assert.True(RegisterDecoder.TryDecodeRaw(holding, ModbusDataType.Float32, ByteOrder.CDAB, out var voltage));
        Assert.Equal(225.0, voltage.AsDouble(), 1e-3);
        Assert.Equal(215, holding[2]);
        Assert.Equal("EC-100", RegisterText.Decode(holding.AsSpan(4, 4), ByteOrder.ABCD));
        Assert.Equal(1 << 3, holding[8]);
        Assert.Equal([0, 1000], input);
        Assert.Equal([false, true, true, false, false, false, false, false], coils);
        Assert.Equal([false, false, false, true], discrete);

        await master.WriteSingleCoilAsync(7, 2, false, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4)); // the square wave is on again here
        await master.ReadCoilsAsync(7, 0, coils, CancellationToken.None);
        Assert.False(coils[2]); // written coils keep their value
        var ex = await Assert.ThrowsAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(7, 18, 4, CancellationToken.None).AsTask());
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Theory]
    [InlineData("\"type\": \"int16\", \"scale\": 0.1, \"value\": 21.5", "\"type\": \"int16\", \"scale\": 0.1, \"value\": 4000", "$.tags[1].value: 4000 does not fit int16")]
    [InlineData("\"type\": \"int16\", \"scale\": 0.1, \"value\": 21.5", "\"type\": \"int61\", \"scale\": 0.1, \"value\": 21.5", "$.tags[1].type: unknown value 'int61'")]
    [InlineData("\"shape\": \"ramp\"", "\"shape\": \"saw\"", "$.tags[0].wave.shape: expected one of: sine, triangle, ramp, square")]
    [InlineData("\"address\": 8, \"type\": \"bool\"", "\"address\": 20, \"type\": \"bool\"", "$.tags[3].address: Holding 20 (width 1) is outside the 20 the profile serves")]
    [InlineData("\"value\": \"EC-100\"", "\"value\": \"EC-100 long\"", "$.tags[2].value: expected a text of at most 8 characters")]
    [InlineData("\"area\": \"coil\", \"address\": 1, \"value\": true", "\"area\": \"coil\", \"address\": 1", "$.tags[5]: give either \"value\"")]
    public void Parse_BadProfile_NamesThePath(string good, string bad, string expected)
    {
        Assert.Contains(good, Profile, StringComparison.Ordinal);
        var errors = new List<string>();

        Assert.Null(DeviceProfileLoader.Parse("panel.json", Profile.Replace(good, bad, StringComparison.Ordinal), errors));

        Assert.Contains(errors, e => e.StartsWith("panel.json: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RtuOnAPty_OurMasterAndPymodbusBothReadTheProfile()
    {
        var profile = Load(Profile);
        await using var line = await SocatPtyPair.StartAsync();
        var settings = ModbusMasterFactory.Settings(new SerialLineConfig(line.DevicePath, 19200, SerialParity.None, 8, 1));
        var slave = new ModbusRtuSimulator(new SimulatorRegisterMap(TimeProvider.System, profile), profile.UnitId, settings);
        using var stop = new CancellationTokenSource();
        var serving = slave.RunAsync(stop.Token);
        try
        {
            await using (var master = new RtuMaster(new SerialRtuTransport(ModbusMasterFactory.Settings(new SerialLineConfig(line.MasterPath, 19200, SerialParity.None, 8, 1))), TimeSpan.FromSeconds(3)))
            {
                var registers = await master.ReadHoldingRegistersAsync(7, 2, 6, CancellationToken.None);
                await master.WriteSingleCoilAsync(7, 5, true, CancellationToken.None);
                await master.WriteMultipleRegistersAsync(7, 10, new ushort[] { 0xBEEF, 0xCAFE }, CancellationToken.None);
                var other = await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(8, 0, 1, CancellationToken.None).AsTask());

                Assert.Equal(215, registers[0]);
                Assert.Equal("EC-100", RegisterText.Decode(registers.AsSpan(2, 4), ByteOrder.ABCD));
                Assert.Equal([0xBEEF, 0xCAFE], await master.ReadHoldingRegistersAsync(7, 10, 2, CancellationToken.None));
                Assert.Contains("unit 8", other.Message, StringComparison.Ordinal);
            }

            var client = await RunClientAsync(line.MasterPath, 19200, 7);
            Assert.True(client.ExitCode == 0, client.Output);
            var fields = client.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("holding", fields[0]);
            Assert.Equal("215", fields[3]);
            Assert.Equal(["coils", "0", "1"], fields[5..8]); // coil 2 blinks on the real clock
            Assert.Equal(["0", "0", "1", "0", "0"], fields[9..14]); // coil 5 as our master wrote it
        }
        finally
        {
            await stop.CancelAsync();
            await serving;
        }

        Assert.True(slave.Answered >= 5);
        Assert.True(slave.Dropped >= 1); // the request for unit 8
    }

    private static DeviceProfile Load(string json)
    {
        var errors = new List<string>();
        var profile = DeviceProfileLoader.Parse("panel.json", json, errors);
        Assert.Empty(errors);
        return profile!;
    }

    private static async Task<(int ExitCode, string Output)> RunClientAsync(string path, int baud, int unit)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_rtu_client.py"), path, baud.ToString(System.Globalization.CultureInfo.InvariantCulture), unit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, (await output).Trim() + (await error));
    }
}
