using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Simulator;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>The polling service against our simulator: the sample config end to end, outages and decode failures.</summary>
public sealed class ModbusPollingServiceSimulatorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ExecuteAsync_SampleSiteConfig_AllTagsGoodWithinTheirRanges()
    {
        await using var simulator = ModbusSimulator.Start(new ModbusSimulatorOptions());
        var site = Site(SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", simulator.EndPoint.Port, pollIntervalMs: 100, timeoutMs: 3000));

        await using var host = await PollingHost.StartAsync(site);
        await host.Sink.WaitUntilAsync(s => s.Batches("simulator").Count >= 3, Deadline, "3 polls");

        foreach (var batch in host.Sink.Batches("simulator"))
        {
            Assert.Equal(SimulatorRegisterMap.Tags.Count, batch.Count);
            foreach (var (point, tag) in batch.Zip(SimulatorRegisterMap.Tags))
            {
                Assert.Equal(tag.Name, point.Tag);
                Assert.Equal(PointQuality.Good, point.Quality);
                Assert.InRange(point.Value.AsDouble(), tag.Min - 1e-9, tag.Max + 1e-9);
                var exact = tag.Scale == 1 && tag.Offset == 0 && tag.Type != ModbusDataType.Float32;
                Assert.Equal(exact ? TagValueKind.Integer : TagValueKind.Number, point.Value.Kind);
            }
        }
    }

    [Fact]
    public async Task ExecuteAsync_SimulatorStopsAndComesBack_BadCommunicationThenGoodAgain()
    {
        var simulator = ModbusSimulator.Start(new ModbusSimulatorOptions());
        var port = simulator.EndPoint.Port;
        var site = Site(SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", port, pollIntervalMs: 100, timeoutMs: 3000));
        await using var host = await PollingHost.StartAsync(site);
        try
        {
            await host.Sink.WaitUntilAsync(s => s.Batches("simulator").Count >= 2, Deadline, "first polls");

            await simulator.DisposeAsync();
            await host.Sink.WaitUntilAsync(s => CountWhere(s, PointQuality.BadCommunication) >= 3, Deadline, "3 polls marked BadCommunication");

            simulator = ModbusSimulator.Start(new ModbusSimulatorOptions { Port = port });
            var before = host.Sink.Batches("simulator").Count;
            await host.Sink.WaitUntilAsync(
                s => s.Batches("simulator").Skip(before).Any(b => b.All(p => p.Quality == PointQuality.Good)), Deadline, "good again after reconnect");
        }
        finally
        {
            await simulator.DisposeAsync();
        }

        Assert.Equal(1, host.Logs.Count(4001)); // lost: once for the whole outage
        Assert.Equal(2, host.Logs.Count(4000)); // connected: at start and after the outage
        Assert.All(
            host.Sink.Batches("simulator").SelectMany(b => b).Where(p => p.Quality != PointQuality.Good),
            p => Assert.Equal(TagValue.None, p.Value));
    }

    [Fact]
    public async Task ExecuteAsync_RegistersHoldNaN_BadConfigurationForThatTagOnly()
    {
        await using var simulator = ModbusSimulator.Start(new ModbusSimulatorOptions());
        await using (var master = new ModbusTcpMaster("127.0.0.1", simulator.EndPoint.Port, TimeSpan.FromSeconds(3)))
        {
            await master.WriteMultipleRegistersAsync(1, 20, new ushort[] { 0x7FC0, 0x0000 }, CancellationToken.None);
        }

        var device = new ModbusTcpDeviceConfig("sim", "127.0.0.1", simulator.EndPoint.Port, 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3),
        [
            new ModbusTagConfig("broken", ModbusRegisterArea.Holding, 20, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("temperature", ModbusRegisterArea.Holding, 0, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, "degC"),
        ]);

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("sim").Count >= 3, Deadline, "3 polls");

        Assert.All(host.Sink.Batches("sim"), b =>
        {
            Assert.Equal(PointQuality.BadConfiguration, b[0].Quality);
            Assert.Equal(TagValue.None, b[0].Value);
            Assert.Equal(PointQuality.Good, b[1].Quality);
        });
        Assert.Equal(1, host.Logs.Count(4007));
    }

    private static int CountWhere(CollectingSink sink, PointQuality quality) =>
        sink.Batches("simulator").Count(b => b.All(p => p.Quality == quality));

    private static SiteConfig Site(string json)
    {
        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite("sample", json, errors);
        Assert.Empty(errors);
        return site!;
    }
}
