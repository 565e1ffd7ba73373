using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>The polling service, wired through AddModbusSources, against pymodbus (real clock, short intervals).</summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusPollingServicePymodbusTests(PymodbusServer server)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ExecuteAsync_GoodDeviceAndClosedPort_GoodKeepsPollingWhileOtherIsBad()
    {
        var tags = PymodbusRegisterTable.Tags()
            .Append(new ModbusTagConfig("scaled", ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.ABCD, 0.5, 10, "bar"))
            .ToList();
        var good = new ModbusTcpDeviceConfig("plc", "127.0.0.1", server.Port, 1, Poll, TimeSpan.FromSeconds(3), tags);
        var down = new ModbusTcpDeviceConfig("offline", "127.0.0.1", PymodbusServer.FreePort(), 1, Poll, TimeSpan.FromSeconds(1), [tags[0]]);
        long polls = 0;
        using var listener = CountPolls(() => Interlocked.Increment(ref polls));
        var started = DateTimeOffset.UtcNow;

        await using (var host = await PollingHost.StartAsync(new SiteConfig([good, down])))
        {
            await host.Sink.WaitUntilAsync(s => s.Batches("plc").Count >= 5 && s.Batches("offline").Count >= 5, Deadline, "5 polls of each device");

            foreach (var batch in host.Sink.Batches("plc"))
            {
                Assert.Equal(tags.Select(t => t.Name), batch.Select(p => p.Tag));
                Assert.All(batch, p => Assert.Equal(PointQuality.Good, p.Quality));
                Assert.All(batch, p => Assert.InRange(p.Timestamp, started, DateTimeOffset.UtcNow));
                for (var i = 0; i < PymodbusRegisterTable.Entries.Count; i++)
                {
                    var expected = PymodbusRegisterTable.Entries[i];
                    Assert.Equal(expected.Type is ModbusDataType.Float32 or ModbusDataType.Float64 ? TagValueKind.Number : TagValueKind.Integer, batch[i].Value.Kind);
                    Assert.Equal(expected.Value, batch[i].Value.AsDouble(), 1e-4);
                }

                Assert.Equal(9.0, batch[^1].Value.AsDouble());
            }

            Assert.All(host.Sink.Batches("offline").SelectMany(b => b), p =>
            {
                Assert.Equal(PointQuality.BadNotConnected, p.Quality);
                Assert.Equal(TagValue.None, p.Value);
            });
            Assert.Equal(1, host.Logs.Count(4000)); // plc connected, once
            Assert.Equal(1, host.Logs.Count(4002)); // offline unreachable, once however many polls
        }

        Assert.True(Interlocked.Read(ref polls) >= 10);
    }

    [Fact]
    public async Task ExecuteAsync_UnitIdNotServed_PublishesBadTimeoutAndLogsOnce()
    {
        var tag = new ModbusTagConfig("x", ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.ABCD, 1, 0, null);
        var device = new ModbusTcpDeviceConfig("unit2", "127.0.0.1", server.Port, 2, Poll, TimeSpan.FromMilliseconds(200), [tag]);

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("unit2").Count >= 4, Deadline, "4 polls");

        Assert.All(host.Sink.Batches("unit2").SelectMany(b => b), p =>
        {
            Assert.Equal(PointQuality.BadTimeout, p.Quality);
            Assert.Equal(TagValue.None, p.Value);
        });
        Assert.Equal(1, host.Logs.Count(4003));
    }

    [Fact]
    public async Task ExecuteAsync_TagOutsideTheMap_BadConfigurationWithCodeWhileOtherTagsStayGood()
    {
        var device = new ModbusTcpDeviceConfig("partial", "127.0.0.1", server.Port, 1, Poll, TimeSpan.FromSeconds(3),
        [
            new ModbusTagConfig("ok", ModbusRegisterArea.Holding, 30, ModbusDataType.UInt32, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("missing", ModbusRegisterArea.Holding, 200, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
        ]);

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("partial").Count >= 3, Deadline, "3 polls");

        foreach (var batch in host.Sink.Batches("partial"))
        {
            Assert.Equal(PointQuality.Good, batch[0].Quality);
            Assert.Equal(TagValue.FromInteger(0xDEADBEEF), batch[0].Value);
            Assert.Equal(PointQuality.BadConfiguration, batch[1].Quality);
            Assert.Equal((uint)ModbusExceptionCode.IllegalDataAddress, batch[1].StatusDetail);
            Assert.Equal(TagValue.None, batch[1].Value);
        }

        Assert.Equal(1, host.Logs.Count(4005));
    }

    [Fact]
    public async Task ExecuteAsync_CoilsDiscreteInputsAndStrings_GoodValues()
    {
        var device = new ModbusTcpDeviceConfig("bits", "127.0.0.1", server.Port, 1, Poll, TimeSpan.FromSeconds(3),
        [
            new ModbusTagConfig("coil3", ModbusRegisterArea.Coil, 3, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("coil4", ModbusRegisterArea.Coil, 4, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("di1999", ModbusRegisterArea.DiscreteInput, 1999, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("name", ModbusRegisterArea.Holding, 64, ModbusDataType.String, ByteOrder.ABCD, 1, 0, null, Length: PymodbusRegisterTable.StringLength),
            new ModbusTagConfig("serial", ModbusRegisterArea.Holding, 72, ModbusDataType.String, ByteOrder.BADC, 1, 0, null, Length: PymodbusRegisterTable.StringLength),
        ]);

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("bits").Count >= 2, Deadline, "2 polls");

        var batch = host.Sink.Batches("bits")[1];
        Assert.All(batch, p => Assert.Equal(PointQuality.Good, p.Quality));
        Assert.Equal(
            [TagValue.FromFlag(true), TagValue.FromFlag(false), TagValue.FromFlag(true), TagValue.FromText("EdgeCloud-7"), TagValue.FromText("SN 0042")],
            batch.Select(p => p.Value));
    }

    [Fact]
    public async Task ExecuteAsync_PollGroups_EachGroupAtItsOwnInterval()
    {
        var groups = new Dictionary<string, TimeSpan> { ["fast"] = TimeSpan.FromMilliseconds(50), ["slow"] = TimeSpan.FromSeconds(30) };
        var device = new ModbusTcpDeviceConfig("grouped", "127.0.0.1", server.Port, 1, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3),
        [
            new ModbusTagConfig("normal", ModbusRegisterArea.Holding, 2, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("fast", ModbusRegisterArea.Holding, 30, ModbusDataType.UInt32, ByteOrder.ABCD, 1, 0, null, Group: "fast"),
            new ModbusTagConfig("slow", ModbusRegisterArea.Input, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null, Group: "slow"),
        ])
        { Planning = new ModbusPlanningConfig(8, 125, groups) };

        await using var host = await PollingHost.StartAsync(new SiteConfig([device]));
        await host.Sink.WaitUntilAsync(s => s.Batches("grouped").Count(b => b[0].Tag == "fast") >= 20, Deadline, "20 polls of the fast group");

        var batches = host.Sink.Batches("grouped");
        Assert.All(batches, b => Assert.Single(b)); // one tag per group: each loop publishes only its own
        Assert.All(batches.SelectMany(b => b), p => Assert.Equal(PointQuality.Good, p.Quality));
        Assert.Equal(1, batches.Count(b => b[0].Tag == "slow")); // the first poll; the next is 30 s away
        Assert.InRange(batches.Count(b => b[0].Tag == "normal"), 1, 10);
        Assert.Equal(TagValue.FromInteger(0xDEADBEEF), batches.Last(b => b[0].Tag == "fast")[0].Value);
    }

    private static MeterListener CountPolls(Action onPoll)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ModbusMetrics.MeterName && instrument.Name == "edge_modbus_polls")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => onPoll());
        listener.Start();
        return listener;
    }
}
