using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Simulator;

public sealed class SimulatorRegisterMapTests
{
    [Fact]
    public void SampleSiteConfigJson_ParsedByTheConfigLoader_HasNoErrorsAndEveryTag()
    {
        var errors = new List<ConfigError>();

        var site = ConfigLoader.TryParseSite("sample", SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", 5020, pollIntervalMs: 250), errors);

        Assert.Empty(errors);
        var device = Assert.IsType<ModbusTcpDeviceConfig>(Assert.Single(site!.Devices));
        Assert.Equal(("simulator", "127.0.0.1", 5020, (byte)1, TimeSpan.FromMilliseconds(250)), (device.Name, device.Host, device.Port, device.UnitId, device.PollInterval));
        Assert.Equal(SimulatorRegisterMap.Tags.Select(t => t.ToTagConfig()), device.Tags);
    }

    [Fact]
    public void TryRead_OverAWholePeriod_EveryTagStaysInItsDocumentedRange()
    {
        var time = new FakeTimeProvider();
        var map = new SimulatorRegisterMap(time);
        var holding = new ushort[SimulatorRegisterMap.HoldingCount];
        var input = new ushort[SimulatorRegisterMap.InputCount];

        for (var second = 0; second <= 600; second += 3)
        {
            Assert.True(map.TryRead(ModbusRegisterArea.Holding, 0, holding));
            Assert.True(map.TryRead(ModbusRegisterArea.Input, 0, input));
            foreach (var tag in SimulatorRegisterMap.Tags)
            {
                var source = tag.Area == ModbusRegisterArea.Holding ? holding : input;
                Assert.True(RegisterDecoder.TryDecode(source.AsSpan(tag.Address), tag.ToTagConfig(), out var value), tag.Name);
                Assert.InRange(value.AsDouble(), tag.Min - 1e-9, tag.Max + 1e-9);
            }

            time.Advance(TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public void Tags_DoNotOverlapAndFitTheMap()
    {
        foreach (var area in new[] { ModbusRegisterArea.Holding, ModbusRegisterArea.Input })
        {
            var used = SimulatorRegisterMap.Tags
                .Where(t => t.Area == area)
                .SelectMany(t => Enumerable.Range(t.Address, t.Type.RegisterCount()))
                .ToList();
            Assert.Equal(used.Count, used.Distinct().Count());
            Assert.All(used, a => Assert.InRange(a, 0, SimulatorRegisterMap.Size(area) - 1));
        }
    }

    [Fact]
    public void TryWrite_PastTheEnd_ReturnsFalseAndChangesNothing()
    {
        var map = new SimulatorRegisterMap(new FakeTimeProvider());

        Assert.False(map.TryWrite(SimulatorRegisterMap.HoldingCount - 1, [1, 2]));

        var last = new ushort[1];
        Assert.True(map.TryRead(ModbusRegisterArea.Holding, SimulatorRegisterMap.HoldingCount - 1, last));
        Assert.Equal(0, last[0]);
    }
}
