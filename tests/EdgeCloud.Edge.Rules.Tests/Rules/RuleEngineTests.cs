using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Tests.Rules;

public class RuleEngineTests
{
    [Fact]
    public void Process_ThresholdWithDeadband_RaisesAboveAndClearsOnlyBelowTheBand()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25, "deadband": 1 }""");

        h.Push("temperature", 24, 0);
        Assert.Null(h.AlarmOf("hot"));
        h.Push("temperature", 25.5, 1);
        Assert.Equal(AlarmState.Active, h.AlarmOf("hot")!.State);
        h.Push("temperature", 24.5, 2);   // below the limit, inside the band: still active
        Assert.Equal(AlarmState.Active, h.AlarmOf("hot")!.State);
        h.Push("temperature", 23.9, 3);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf("hot")!.State);
    }

    [Fact]
    public void Process_Below_RaisesUnderTheLimit()
    {
        using var h = new EngineHarness("""{ "name": "cold", "type": "threshold", "tag": "plc/temperature", "below": 5 }""");

        h.Push("temperature", 4, 0);

        Assert.Equal("plc/temperature = 4, below 5", h.AlarmOf("cold")!.Message);
    }

    [Fact]
    public void Process_RangeOnTwoTags_OneAlarmPerTag()
    {
        using var h = new EngineHarness("""{ "name": "band", "type": "range", "tags": ["plc/temperature", "plc/level"], "low": 10, "high": 20, "deadband": 1 }""");

        h.Push("temperature", 21, 0);
        h.Push("level", 9, 0);
        h.Push("level", 10.5, 1);  // back in range but inside the band: stays
        h.Push("level", 11.5, 2);

        Assert.Equal(AlarmState.Active, h.AlarmOf("band", "plc/temperature")!.State);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf("band", "plc/level")!.State);
    }

    [Fact]
    public void Process_RateOfChange_UsesChangePerSecond()
    {
        using var h = new EngineHarness("""{ "name": "jump", "type": "rateOfChange", "tag": "plc/level", "maxPerSecond": 2 }""");

        h.Push("level", 50, 0);
        h.Push("level", 53, 2);    // 1.5 / s
        Assert.Null(h.AlarmOf("jump", "plc/level"));
        h.Push("level", 60, 3);    // 7 / s
        Assert.Equal(7, h.AlarmOf("jump", "plc/level")!.Value);
    }

    [Fact]
    public void Process_ForSeconds_RaisesOnlyAfterTheConditionHeldLongEnough()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25, "forSeconds": 10 }""");

        h.Push("temperature", 26, 0);
        h.Push("temperature", 26, 9);
        Assert.Null(h.AlarmOf("hot"));
        h.Push("temperature", 24, 10);  // interrupted: the clock starts again
        h.Push("temperature", 26, 11);
        h.Push("temperature", 26, 20);
        Assert.Null(h.AlarmOf("hot"));
        h.Push("temperature", 26, 21);
        Assert.NotNull(h.AlarmOf("hot"));
    }

    [Fact]
    public void CheckStale_ForSecondsWithoutNewPoints_RaisesOnTheTimer()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25, "forSeconds": 10 }""");
        h.Push("temperature", 26, 0);   // the source reports by exception: no further point comes

        h.Engine.CheckStale(EngineHarness.T0.AddSeconds(9), []);
        Assert.Null(h.AlarmOf("hot"));
        h.Engine.CheckStale(EngineHarness.T0.AddSeconds(10), []);

        Assert.Equal(AlarmState.Active, h.AlarmOf("hot")!.State);
    }

    [Fact]
    public void Process_Quality_ActiveWhileBad()
    {
        using var h = new EngineHarness("""{ "name": "q", "type": "quality", "tag": "plc/flow" }""");

        h.Push("flow", 1, 0, PointQuality.Uncertain);
        Assert.Null(h.AlarmOf("q", "plc/flow"));
        h.Push("flow", 0, 1, PointQuality.BadTimeout);
        Assert.Equal("plc/flow quality is BadTimeout", h.AlarmOf("q", "plc/flow")!.Message);
        h.Push("flow", 1, 2);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf("q", "plc/flow")!.State);
    }

    [Fact]
    public void CheckStale_NoPointForLongerThanTheLimit_RaisesAndANewPointClears()
    {
        using var h = new EngineHarness("""{ "name": "silent", "type": "stale", "tag": "plc/flow", "seconds": 10 }""");
        h.Push("flow", 1, 0);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Engine.CheckStale(h.Time.GetUtcNow(), []);
        Assert.Null(h.AlarmOf("silent", "plc/flow"));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Engine.CheckStale(h.Time.GetUtcNow(), []);
        Assert.Equal(AlarmState.Active, h.AlarmOf("silent", "plc/flow")!.State);

        h.Push("flow", 1, 11);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf("silent", "plc/flow")!.State);
    }

    [Fact]
    public void Process_ExpressionValue_PublishesDerivedTagAndDivisionByZeroIsBadQualityWithReason()
    {
        using var h = new EngineHarness("""{ "name": "ratio", "type": "expression", "value": "plc/flow / plc/level", "output": "derived/ratio" }""");
        h.Push("level", 4, 0);

        var good = Assert.Single(h.Push("flow", 10, 1));
        Assert.Equal(("derived", "ratio", 2.5, PointQuality.Good), (good.Device, good.Tag, good.Value.AsDouble(), good.Quality));

        h.Push("level", 0, 2);
        var bad = Assert.Single(h.Push("flow", 10, 3));
        Assert.Equal(PointQuality.Bad, bad.Quality);
        Assert.Equal((uint)ExpressionFault.DivisionByZero, bad.StatusDetail);
        Assert.Equal(TagValue.None, bad.Value);
    }

    [Fact]
    public void Process_ConditionOnDerivedTag_SeesTheEnginesOwnOutput()
    {
        using var h = new EngineHarness("""
            { "name": "ratio", "type": "expression", "value": "plc/flow / plc/level", "output": "derived/ratio" },
            { "name": "ratio-high", "type": "expression", "condition": "derived/ratio > 2" }
            """);
        h.Push("level", 4, 0);

        h.Push("flow", 10, 1);

        Assert.Equal(AlarmState.Active, h.AlarmOf("ratio-high", "derived/ratio")!.State);
    }

    [Fact]
    public void Process_FaultedCondition_KeepsTheRuleState()
    {
        using var h = new EngineHarness("""{ "name": "e", "type": "expression", "condition": "plc/flow / plc/level > 2" }""");
        h.Push("level", 1, 0);
        h.Push("flow", 10, 1);
        Assert.Equal(AlarmState.Active, h.AlarmOf("e", "plc/flow")!.State);

        h.Push("level", 0, 2);     // division by zero: neither raise nor clear

        Assert.Equal(AlarmState.Active, h.AlarmOf("e", "plc/flow")!.State);
    }

    [Fact]
    public void Process_ZScore_SilentDuringWarmupThenFiresOnOutlier()
    {
        using var h = new EngineHarness("""{ "name": "z", "type": "zscore", "tag": "plc/flow", "window": 20, "warmup": 10, "threshold": 3 }""");

        h.Push("flow", 100, 0);    // would be an outlier, but the baseline is still warming up
        for (var i = 1; i < 10; i++)
        {
            h.Push("flow", 10 + (i % 2), i);
        }

        Assert.Null(h.AlarmOf("z", "plc/flow"));
        for (var i = 10; i < 30; i++)
        {
            h.Push("flow", 10 + (i % 2), i);
        }

        Assert.Null(h.AlarmOf("z", "plc/flow"));
        h.Push("flow", 14, 31);
        Assert.Equal(AlarmState.Active, h.AlarmOf("z", "plc/flow")!.State);
    }

    [Fact]
    public void Process_Iqr_FiresOutsideTheFences()
    {
        using var h = new EngineHarness("""{ "name": "i", "type": "iqr", "tag": "plc/flow", "window": 40, "warmup": 20, "k": 1.5 }""");
        for (var i = 0; i < 40; i++)
        {
            h.Push("flow", 10 + (i % 5), i);     // Q1 = 11, Q3 = 13: fences 8 .. 16
        }

        h.Push("flow", 15.5, 41);
        Assert.Null(h.AlarmOf("i", "plc/flow"));
        h.Push("flow", 17, 42);
        Assert.Equal(AlarmState.Active, h.AlarmOf("i", "plc/flow")!.State);
    }

    [Fact]
    public void Process_UnrelatedTag_EvaluatesNothing()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""");

        h.Push("level", 99, 0);
        h.Engine.Process(new DataPoint("other", "temperature", EngineHarness.T0, TagValue.FromNumber(99), PointQuality.Good), []);

        Assert.Equal(0, h.Engine.Evaluations);
    }

    [Fact]
    public void Process_BadQualityInput_NeitherRaisesNorClears()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""");
        h.Push("temperature", 30, 0);

        h.Push("temperature", 0, 1, PointQuality.BadCommunication);

        Assert.Equal(AlarmState.Active, h.AlarmOf("hot")!.State);
        Assert.True(h.Engine.Rules.Single().Active);
        Assert.IsType<SingleTagRule>(h.Engine.Rules.Single());
    }
}
