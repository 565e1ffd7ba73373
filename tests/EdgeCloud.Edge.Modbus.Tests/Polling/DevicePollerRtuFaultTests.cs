using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tests.Fakes;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>The poller over an RTU master whose slave (a fake on a pty) garbles some replies.</summary>
public sealed class DevicePollerRtuFaultTests
{
    [Fact]
    public async Task PollOnceAsync_CrcErrorThenGoodReply_BadCommunicationCountedThenGood()
    {
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            var bad = FakeRtuDevice.ReadReply(5, 3, 0x4000, 0x0000);
            bad[4] ^= 0x01; // a data bit, not the CRC: the byte count still fits
            await d.SendAsync(bad);
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(5, 3, 0x4049, 0x0FDB));
            await d.StallAsync();
        });
        var line = new SerialLineConfig(fake.MasterPath, 115200, SerialParity.None, 8, 1);
        var device = new ModbusRtuDeviceConfig("meter", line, 5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2),
            [new ModbusTagConfig("pi", ModbusRegisterArea.Holding, 0, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null)]);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var errors = new ConcurrentQueue<string>();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var listener = ListenToErrors(meters, errors);
        var sink = new CollectingSink();
        var logs = new CollectingLoggerProvider();
        await using var poller = new DevicePoller(
            device, new RtuMaster(new SerialRtuTransport(ModbusMasterFactory.Settings(line)), device.Timeout), sink, TimeProvider.System,
            new ModbusMetrics(meters), logs.CreateLogger("test"));

        await poller.PollOnceAsync(CancellationToken.None);
        await poller.PollOnceAsync(CancellationToken.None);

        var batches = sink.Batches("meter");
        Assert.Equal(PointQuality.BadCommunication, batches[0][0].Quality);
        Assert.Equal(TagValue.None, batches[0][0].Value);
        Assert.Equal(PointQuality.Good, batches[1][0].Quality);
        Assert.Equal(3.14159274, batches[1][0].Value.AsDouble(), 1e-7);
        Assert.Equal(["crc"], errors);
        Assert.Equal(1, logs.Count(4010));
    }

    /// <summary>Listens to this test's meter factory only: tests running beside it count errors of their own.</summary>
    private static MeterListener ListenToErrors(IMeterFactory meters, ConcurrentQueue<string> reasons)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "edge_modbus_poll_errors")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reasons.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
