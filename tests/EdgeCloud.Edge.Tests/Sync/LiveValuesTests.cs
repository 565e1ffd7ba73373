using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync;

namespace EdgeCloud.Edge.Tests.Sync;

public sealed class LiveValuesTests
{
    [Fact]
    public void Take_SeveralPointsPerTag_ReturnsOnlyTheNewestOfEachAndEmpties()
    {
        var live = new LiveValues();
        for (var i = 0; i < 5; i++)
        {
            Feed(live, "plc", "a", i);
            Feed(live, "plc", "b", 10 + i);
        }

        var taken = live.Take(100).OrderBy(p => p.Tag, StringComparer.Ordinal).ToList();

        Assert.Equal([("a", 4.0), ("b", 14.0)], taken.Select(p => (p.Tag, p.Value.AsDouble())));
        Assert.Empty(live.Take(100));
    }

    [Fact]
    public void Take_MoreTagsThanTheLimit_LeavesTheRestForTheNextSnapshot()
    {
        var live = new LiveValues();
        for (var i = 0; i < 10; i++)
        {
            Feed(live, "plc", $"t{i}", i);
        }

        var first = live.Take(6);
        var second = live.Take(6);

        Assert.Equal(6, first.Count);
        Assert.Equal(4, second.Count);
        Assert.Equal(10, first.Concat(second).Select(p => p.Tag).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Process_BeyondMaxTags_CountsInsteadOfGrowing()
    {
        var live = new LiveValues();
        for (var i = 0; i < LiveValues.MaxTags + 3; i++)
        {
            Feed(live, "plc", $"t{i}", i);
        }

        Feed(live, "plc", "t0", -1); // a waiting tag still updates

        Assert.Equal(3, live.Overflow);
        var taken = live.Take(int.MaxValue);
        Assert.Equal(LiveValues.MaxTags, taken.Count);
        Assert.Equal(-1, taken.Single(p => p.Tag == "t0").Value.AsDouble());
    }

    private static void Feed(LiveValues live, string device, string tag, double value) =>
        live.Process(new DataPoint(device, tag, DateTimeOffset.UnixEpoch.AddSeconds(value), TagValue.FromNumber(value), PointQuality.Good), []);
}
