using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>
/// The polling service, wired through AddModbusSources, with RTU devices: three on one serial bus
/// (pymodbus units 1 and 2 on a socat pty, and unit 9 which nothing answers) and one RTU-over-TCP.
/// </summary>
[Collection(PymodbusRtuCollection.Name)]
public sealed class ModbusPollingServiceRtuTests(PymodbusRtuPeers peers)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ExecuteAsync_ThreeDevicesOnOneBusAndOneOverTcp_LiveOnesGoodAndDeadOneBadTimeout()
    {
        var line = new SerialLineConfig(peers.SerialPath, PymodbusRtuPeers.BaudRate, SerialParity.None, 8, 1);
        var meter1 = new ModbusRtuDeviceConfig("meter1", line, 1, Poll, TimeSpan.FromSeconds(2), Tags());
        var meter2 = new ModbusRtuDeviceConfig("meter2", line, 2, Poll, TimeSpan.FromSeconds(2), Tags());
        // Long enough for pymodbus, on a busy machine, to drop the ghost's request before the next
        // one arrives: its framer throws away its whole buffer on a frame for an unknown unit.
        var ghost = new ModbusRtuDeviceConfig("ghost", line, 9, Poll, TimeSpan.FromMilliseconds(500), Tags());
        var gateway = new ModbusRtuTcpDeviceConfig("gateway", "127.0.0.1", peers.TcpPort, 2, Poll, TimeSpan.FromSeconds(2), Tags());

        await using var host = await PollingHost.StartAsync(new SiteConfig([meter1, meter2, ghost, gateway]));
        await host.Sink.WaitUntilAsync(
            s => s.Batches("meter1").Count >= 10 && s.Batches("meter2").Count >= 10 && s.Batches("ghost").Count >= 10 && s.Batches("gateway").Count >= 5,
            Deadline,
            "10 polls of each bus device and 5 of the gateway");

        foreach (var (name, unit) in new[] { ("meter1", 1), ("meter2", 2), ("gateway", 2) })
        {
            foreach (var batch in host.Sink.Batches(name))
            {
                Assert.All(batch, p => Assert.Equal(PointQuality.Good, p.Quality));
                Assert.Equal(TagValue.FromInteger(PymodbusRtuPeers.Holding(unit, 0)), batch[0].Value);
                Assert.Equal(TagValue.FromInteger(((long)PymodbusRtuPeers.Holding(unit, 4) << 16) | PymodbusRtuPeers.Holding(unit, 5)), batch[1].Value);
                Assert.Equal(TagValue.FromInteger(PymodbusRtuPeers.Input(unit, 3)), batch[2].Value);
            }
        }

        Assert.All(host.Sink.Batches("ghost").SelectMany(b => b), p =>
        {
            Assert.Equal(PointQuality.BadTimeout, p.Quality);
            Assert.Equal(TagValue.None, p.Value);
        });

        // Every device sees its link up once (the first on a bus opens it, the others find it open).
        Assert.Equal(4, host.Logs.Count(4000));

        // One serial bus and one RTU-over-TCP bus, whatever the number of devices on them.
        Assert.Contains(host.Logs.Events, e => e.EventId == 4050 && e.Message.Contains("2 RTU buses", StringComparison.Ordinal));
    }

    private static List<ModbusTagConfig> Tags() =>
    [
        new("h0", ModbusRegisterArea.Holding, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
        new("h4", ModbusRegisterArea.Holding, 4, ModbusDataType.UInt32, ByteOrder.ABCD, 1, 0, null),
        new("i3", ModbusRegisterArea.Input, 3, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
    ];
}
