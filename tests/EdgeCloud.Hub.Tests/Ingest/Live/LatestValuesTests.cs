using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Ingest.Live;

public sealed class LatestValuesTests
{
    [Fact]
    public void ApplyStored_OlderThanTheLiveValue_KeepsTheLiveValueAndMarksItStoredOnlyWhenTheSamePointArrives()
    {
        var latest = new LatestValues();
        latest.ApplyLive("gw", [At("plc/t", 100, 7)]);

        latest.ApplyStored("gw", [At("plc/t", 50, 1)]);
        var afterOlder = Assert.Single(latest.Get("gw"));
        latest.ApplyStored("gw", [At("plc/t", 100, 7)]);
        var afterSame = Assert.Single(latest.Get("gw"));

        Assert.Equal((100UL, 7.0, false), (afterOlder.Point.TimeUnixNano, afterOlder.Point.Number, afterOlder.Stored));
        Assert.Equal((100UL, true), (afterSame.Point.TimeUnixNano, afterSame.Stored));
    }

    [Fact]
    public void ApplyLive_NewerPoint_ReplacesAndAgentsStaySeparate()
    {
        var latest = new LatestValues();
        latest.ApplyStored("a", [At("plc/t", 10, 1), At("plc/u", 10, 2)]);
        latest.ApplyLive("a", [At("plc/t", 20, 3)]);
        latest.ApplyLive("b", [At("plc/t", 30, 4)]);

        Assert.Equal([("plc/t", 3.0, false), ("plc/u", 2.0, true)], latest.Get("a").Select(v => (v.Point.Tag, v.Point.Number, v.Stored)));
        Assert.Equal(4.0, Assert.Single(latest.Get("b")).Point.Number);
        Assert.Empty(latest.Get("nobody"));
    }

    private static Point At(string tag, ulong time, double value) => new() { Tag = tag, TimeUnixNano = time, Number = value };
}
