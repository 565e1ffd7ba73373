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

    [Fact]
    public void ProcessRun_PointsOfSeveralDevices_KeepsTheNewestPerDeviceAndTag()
    {
        var live = new LiveValues();
        // Same tag names on two devices, and a device name as a second string instance.
        live.ProcessRun([Point("plc", "a", 1), Point("plc", "b", 2), Point("meter", "a", 3), Point("plc", "a", 4)]);
        live.ProcessRun([Point(new string("plc".AsSpan()), "b", 5)]);

        var taken = live.Take(100).Select(p => (p.Device, p.Tag, p.Value.AsDouble())).Order().ToList();

        Assert.Equal([("meter", "a", 3.0), ("plc", "a", 4.0), ("plc", "b", 5.0)], taken);
        Assert.Empty(live.Take(100));
    }

    [Fact]
    public void Take_AfterADeviceWentQuiet_StillKeepsItsLaterPoints()
    {
        var live = new LiveValues();
        Feed(live, "plc", "a", 1);
        Assert.Single(live.Take(100));
        Assert.Empty(live.Take(100)); // a whole snapshot with nothing: the device's map goes

        Feed(live, "plc", "a", 2);

        Assert.Equal(2.0, Assert.Single(live.Take(100)).Value.AsDouble());
    }

    private static void Feed(LiveValues live, string device, string tag, double value) =>
        live.Process(Point(device, tag, value), []);

    private static DataPoint Point(string device, string tag, double value) =>
        new(device, tag, DateTimeOffset.UnixEpoch.AddSeconds(value), TagValue.FromNumber(value), PointQuality.Good);
}
