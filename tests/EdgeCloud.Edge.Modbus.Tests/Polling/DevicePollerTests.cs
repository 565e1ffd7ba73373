using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Tests.Fakes;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

public sealed class DevicePollerTests
{
    [Fact]
    public async Task PollOnceAsync_DeviceRefuses_BacksOffExponentiallyButPublishesEveryPoll()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var master = new RefusingMaster(time);
        var sink = new CollectingSink();
        var logs = new CollectingLoggerProvider();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var device = new ModbusTcpDeviceConfig("plc", "127.0.0.1", 502, 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1),
        [
            new ModbusTagConfig("a", ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("b", ModbusRegisterArea.Input, 0, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null),
        ]);
        await using var poller = new DevicePoller(
            device, master, sink, time, new ModbusMetrics(services.GetRequiredService<IMeterFactory>()),
            logs.CreateLogger("test"), new ReconnectBackoff(() => 1.0));

        for (var i = 0; i < 40; i++)
        {
            await poller.PollOnceAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Ceilings 0.5, 1, 2 s (jitter pinned at the top): attempts at 0, 0.5, 1.5 and 3.5 s.
        Assert.Equal([0, 0.5, 1.5, 3.5], master.Attempts.Select(a => (a - start).TotalSeconds));
        var batches = sink.Batches("plc");
        Assert.Equal(40, batches.Count);
        Assert.All(batches.SelectMany(b => b), p =>
        {
            Assert.Equal(PointQuality.BadNotConnected, p.Quality);
            Assert.Equal(TagValue.None, p.Value);
        });
        Assert.Equal(1, logs.Count(4002));
    }
}
