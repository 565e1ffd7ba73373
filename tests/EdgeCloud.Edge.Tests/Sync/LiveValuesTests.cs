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

    [Fact]
    public void ProcessRun_SamePollAgainInAnotherOrderAndOtherInstances_KeepsTheNewestPerTag()
    {
        var live = new LiveValues();
        var tags = Enumerable.Range(0, 50).Select(i => $"r{i}").ToArray();
        live.ProcessRun([.. tags.Select((t, i) => Point("plc", t, i))]);
        Assert.Equal(50, live.Take(100).Count);

        // The learned order, then reversed with new instances of the names, then the order again
        // with one tag left out and one new one in the middle.
        live.ProcessRun([.. tags.Select((t, i) => Point("plc", t, 100 + i))]);
        live.ProcessRun([.. Enumerable.Reverse(tags).Select(t => Point("plc", new string(t.AsSpan()), 200 + int.Parse(t[1..], System.Globalization.CultureInfo.InvariantCulture)))]);
        live.ProcessRun([.. tags.Take(25).Append("new").Concat(tags.Skip(26)).Select((t, i) => Point("plc", t, 300 + i))]);

        var taken = live.Take(100).ToDictionary(p => p.Tag, p => p.Value.AsDouble(), StringComparer.Ordinal);

        Assert.Equal(51, taken.Count);
        Assert.Equal(300.0, taken["r0"]);
        Assert.Equal(225.0, taken["r25"]); // left out of the last run: the reversed run's value
        Assert.Equal(325.0, taken["new"]);
        Assert.Equal(349.0, taken["r49"]);
        Assert.Empty(live.Take(100));
    }

    [Fact]
    public void Take_MostTagsStoppedComing_ForgetsTheirSlotsAndStillKeepsThemWhenTheyReturn()
    {
        var live = new LiveValues();
        live.ProcessRun([.. Enumerable.Range(0, 100).Select(i => Point("plc", $"r{i}", i))]);
        Assert.Equal(100, live.Take(1000).Count);
        Assert.Equal(100, live.KnownTags);

        live.ProcessRun([.. Enumerable.Range(0, 10).Select(i => Point("plc", $"r{i}", 1000 + i))]);
        Assert.Equal(10, live.Take(1000).Count);
        Assert.Equal(10, live.KnownTags); // 90 of 100 stale for a whole snapshot: dropped

        live.ProcessRun([.. Enumerable.Range(0, 100).Select(i => Point("plc", $"r{i}", 2000 + i))]);
        var taken = live.Take(1000);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => 2000.0 + i), taken.Select(p => p.Value.AsDouble()));
        Assert.Equal(100, live.KnownTags);
    }

    [Fact]
    public void Clear_ThenSamePoll_KeepsEveryTagAgain()
    {
        var live = new LiveValues();
        live.ProcessRun([Point("plc", "a", 1), Point("plc", "b", 2)]);
        live.Clear();
        Assert.Empty(live.Take(100));

        live.ProcessRun([Point("plc", "a", 3), Point("plc", "b", 4)]);

        Assert.Equal([3.0, 4.0], live.Take(100).Select(p => p.Value.AsDouble()));
    }

    private static void Feed(LiveValues live, string device, string tag, double value) =>
        live.Process(Point(device, tag, value), []);

    private static DataPoint Point(string device, string tag, double value) =>
        new(device, tag, DateTimeOffset.UnixEpoch.AddSeconds(value), TagValue.FromNumber(value), PointQuality.Good);
}
