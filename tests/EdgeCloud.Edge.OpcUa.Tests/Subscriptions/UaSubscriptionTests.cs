using System.Collections.Concurrent;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Subscriptions;
using EdgeCloud.Edge.OpcUa.Tests.Client;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.OpcUa.Tests.Subscriptions;

[Collection(NodeOpcuaCollection.Name)]
public sealed class UaSubscriptionTests(NodeOpcuaFixture fixture)
{
    private static readonly SubscriptionOptions Fast = new() { PublishingInterval = TimeSpan.FromMilliseconds(100), MaxKeepAliveCount = 5, LifetimeCount = 50 };

    /// <summary>Runs the publish loop until <paramref name="done"/> holds (or 15 s pass), then stops it.</summary>
    internal static async Task<ConcurrentQueue<(int Item, DataValue Value)>> CollectAsync(UaSession session, UaSubscription subscription, Func<ConcurrentQueue<(int Item, DataValue Value)>, bool> done)
    {
        var received = new ConcurrentQueue<(int Item, DataValue Value)>();
        using var stop = new CancellationTokenSource();
        var run = subscription.RunAsync(session, batch =>
        {
            foreach (var item in batch)
            {
                received.Enqueue(item);
            }

            return ValueTask.CompletedTask;
        }, stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!done(received) && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        return received;
    }

    [Fact]
    public async Task RunAsync_ChangingVariables_DeliversEveryItemInOrder()
    {
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server);
        string[] names = ["Temperature", "Counter", "Running", "Status", "Profile"];
        var subscription = new UaSubscription(names.Select(n => new MonitoredItemSpec(NodeId.Parse("ns=2;s=" + n), 50)).ToArray(), Fast, TimeProvider.System, NullLogger.Instance);
        await subscription.CreateAsync(session, CancellationToken.None);

        var received = await CollectAsync(session, subscription, r => Enumerable.Range(0, 5).All(i => r.Count(x => x.Item == i) >= 3));

        Assert.Equal(5, subscription.MonitoredItemCount);
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(received.Count(x => x.Item == i) >= 3, names[i]));
        var counters = received.Where(x => x.Item == 1).Select(x => (int)x.Value.Value.Value!).ToArray();
        Assert.Equal(counters.Order(), counters);
        Assert.IsType<double[]>(received.First(x => x.Item == 4).Value.Value.Value);
        Assert.Equal(0, subscription.Counters.Lost);
    }

    [Fact]
    public async Task RunAsync_AbsoluteDeadband_SuppressesSmallChanges()
    {
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server);
        var spec = new MonitoredItemSpec(NodeId.Parse("ns=2;s=Counter"), 20, Deadband: DeadbandType.Absolute, DeadbandValue: 4.5);
        var subscription = new UaSubscription([spec], Fast, TimeProvider.System, NullLogger.Instance);
        await subscription.CreateAsync(session, CancellationToken.None);

        var received = await CollectAsync(session, subscription, r => r.Count >= 4);

        var values = received.Select(x => (int)x.Value.Value.Value!).ToArray();
        Assert.True(values.Length >= 4);
        Assert.All(values.Zip(values.Skip(1)), pair => Assert.True(pair.Second - pair.First > 4.5, $"{pair.First} -> {pair.Second}"));
    }

    [Fact]
    public async Task RunAsync_LostNotificationMessage_RepublishesIt()
    {
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server);
        var subscription = new UaSubscription([new MonitoredItemSpec(NodeId.Parse("ns=2;s=Counter"), 20)], Fast, TimeProvider.System, NullLogger.Instance);
        await subscription.CreateAsync(session, CancellationToken.None);
        var dropped = new List<uint>();
        subscription.DropFilter = m =>
        {
            if (m.SequenceNumber is 3 or 4 && !dropped.Contains(m.SequenceNumber))
            {
                dropped.Add(m.SequenceNumber);
                return true;
            }

            return false;
        };

        var received = await CollectAsync(session, subscription, r => r.Count >= 8);

        Assert.Equal([3u, 4u], dropped);
        Assert.Equal(2, subscription.Counters.Republished);
        Assert.Equal(0, subscription.Counters.Lost);
        var counters = received.Select(x => (int)x.Value.Value.Value!).ToArray();
        Assert.Equal(counters.Order(), counters);
    }

    [Fact]
    public async Task RunAsync_SilentItemWithWatchdog_RebuildsItKeepingTheCount()
    {
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server);
        var subscription = new UaSubscription(
            [new MonitoredItemSpec(NodeId.Parse("ns=2;s=Constant"), 50, Watchdog: TimeSpan.FromMilliseconds(500)), new MonitoredItemSpec(NodeId.Parse("ns=2;s=Counter"), 50)],
            Fast, TimeProvider.System, NullLogger.Instance);
        await subscription.CreateAsync(session, CancellationToken.None);

        var received = await CollectAsync(session, subscription, r => subscription.Counters.Rebuilt >= 2 && r.Count(x => x.Item == 0) >= 2);

        Assert.True(subscription.Counters.Rebuilt >= 2);
        Assert.True(received.Count(x => x.Item == 0) >= 2, "a rebuilt item reports its value again");
        Assert.Equal(2, subscription.MonitoredItemCount);
    }

    [Fact]
    public async Task CreateAsync_UnknownNode_ReportsItsStatusAndKeepsTheOthers()
    {
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server);
        var subscription = new UaSubscription(
            [new MonitoredItemSpec(NodeId.Parse("ns=2;s=Nope")), new MonitoredItemSpec(NodeId.Parse("ns=2;s=Counter"))], Fast, TimeProvider.System, NullLogger.Instance);

        await subscription.CreateAsync(session, CancellationToken.None);

        Assert.Equal(StatusCodes.BadNodeIdUnknown, subscription.ItemStatuses[0]);
        Assert.Equal(StatusCodes.Good, subscription.ItemStatuses[1]);
        Assert.Equal(1, subscription.MonitoredItemCount);
    }
}
