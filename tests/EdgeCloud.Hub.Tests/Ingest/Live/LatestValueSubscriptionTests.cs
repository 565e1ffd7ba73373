using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Ingest.Live;

public sealed class LatestValueSubscriptionTests
{
    [Fact]
    public async Task TakeChanges_TagChangedManyTimes_HandsOverOnceWithTheNewestValue()
    {
        var latest = new LatestValues();
        using var subscription = latest.Subscribe("gw", capacity: 10);
        for (var i = 1; i <= 50; i++)
        {
            latest.ApplyLive("gw", [At("plc/t", (ulong)i, i)]);
        }

        latest.ApplyStored("gw", [At("plc/u", 5, 0.5)]);
        latest.ApplyStored("other", [At("plc/t", 99, 99)]);

        Assert.True(await subscription.WaitAsync(CancellationToken.None));
        var changes = subscription.TakeChanges([]);
        Assert.Equal([("plc/t", 50.0), ("plc/u", 0.5)], changes.Select(c => (c.Point.Tag, c.Point.Number)));
        Assert.Empty(subscription.TakeChanges([]));
        Assert.False(subscription.Overflowed);
    }

    [Fact]
    public void Offer_OlderPointOrUnchangedValue_IsNoChange()
    {
        var latest = new LatestValues();
        latest.ApplyStored("gw", [At("plc/t", 10, 1)]);
        using var subscription = latest.Subscribe("gw", capacity: 10);

        latest.ApplyStored("gw", [At("plc/t", 5, 2)]);

        Assert.Empty(subscription.TakeChanges([]));
    }

    [Fact]
    public async Task Offer_MoreTagsThanCapacityWaiting_MarksOverflowedAndStopsCollecting()
    {
        var latest = new LatestValues();
        using var subscription = latest.Subscribe("gw", capacity: 3);

        latest.ApplyLive("gw", [At("a/1", 1, 1), At("a/2", 1, 2), At("a/3", 1, 3), At("a/4", 1, 4), At("a/5", 1, 5)]);

        Assert.True(await subscription.WaitAsync(CancellationToken.None));
        Assert.True(subscription.Overflowed);
        Assert.Empty(subscription.TakeChanges([]));
        Assert.Equal(5, latest.Get("gw").Count);
    }

    [Fact]
    public void Dispose_Subscription_IsForgotten()
    {
        var latest = new LatestValues();
        var first = latest.Subscribe("gw", 1);
        var second = latest.Subscribe("gw", 1);
        Assert.Equal(2, latest.SubscriberCount);

        first.Dispose();
        second.Dispose();
        latest.ApplyLive("gw", [At("plc/t", 1, 1)]);

        Assert.Equal(0, latest.SubscriberCount);
        Assert.Empty(second.TakeChanges([]));
    }

    private static Point At(string tag, ulong time, double value) => new() { Tag = tag, TimeUnixNano = time, Number = value };
}
