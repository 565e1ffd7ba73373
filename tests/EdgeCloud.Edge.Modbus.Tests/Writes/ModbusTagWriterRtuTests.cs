using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Modbus.Tests.Writes;

/// <summary>Writes on a pymodbus RTU bus while both of its units are polled: they share the bus's one master.</summary>
[Collection(PymodbusRtuCollection.Name)]
public sealed class ModbusTagWriterRtuTests(PymodbusRtuPeers peers)
{
    [Fact]
    public async Task WriteAsync_WhileTwoUnitsArePolled_ConfirmedWithoutOneCorruptFrame()
    {
        var line = new SerialLineConfig(peers.SerialPath, PymodbusRtuPeers.BaudRate, SerialParity.None, 8, 1);
        ModbusTagConfig[] tags =
        [
            new("level", ModbusRegisterArea.Holding, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
            new("target", ModbusRegisterArea.Holding, 50, ModbusDataType.Int32, ByteOrder.CDAB, 1, 0, null, Writable: true),
            new("relay", ModbusRegisterArea.Coil, 40, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, Writable: true),
        ];
        var poll = TimeSpan.FromMilliseconds(20);
        var meter1 = new ModbusRtuDeviceConfig("meter1", line, 1, poll, TimeSpan.FromSeconds(2), tags);
        var meter2 = new ModbusRtuDeviceConfig("meter2", line, 2, poll, TimeSpan.FromSeconds(2), tags);
        await using var host = await PollingHost.StartAsync(new SiteConfig([meter1, meter2]));
        var writer = Assert.Single(host.Services.GetServices<ITagWriter>());
        await host.Sink.WaitUntilAsync(s => s.Batches("meter2").Count >= 2, TimeSpan.FromSeconds(15), "polls of meter2");

        for (var i = 0; i < 10; i++)
        {
            var result = await writer.WriteAsync("meter2", "target", TagValue.FromInteger(-100_000 - i), CancellationToken.None);
            Assert.Equal((TagWriteStatus.Confirmed, TagValue.FromInteger(-100_000 - i)), (result.Status, result.ReadBack));
        }

        var relay = await writer.WriteAsync("meter2", "relay", TagValue.FromFlag(!PymodbusRtuPeers.Coil(2, 40)), CancellationToken.None);

        Assert.Equal(TagWriteStatus.Confirmed, relay.Status);
        await host.Sink.WaitUntilAsync(
            s => s.Batches("meter2").Any(b => b[1].Value == TagValue.FromInteger(-100_009) && b[2].Value == TagValue.FromFlag(!PymodbusRtuPeers.Coil(2, 40))),
            TimeSpan.FromSeconds(15),
            "a poll of meter2 with the written values");
        Assert.All(host.Sink.Batches("meter1").SelectMany(b => b), p => Assert.Equal(PointQuality.Good, p.Quality));
        Assert.All(host.Sink.Batches("meter1"), b => Assert.Equal(TagValue.FromInteger(PymodbusRtuPeers.Holding(1, 0)), b[0].Value));
        Assert.Equal(0, host.Logs.Count(4008)); // no corrupt frame: writes and polls took turns on the line
    }
}
