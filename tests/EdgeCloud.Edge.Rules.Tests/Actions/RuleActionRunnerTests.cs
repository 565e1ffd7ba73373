using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Tests.Actions;

public class RuleActionRunnerTests
{
    [Fact]
    public void OnTransition_SetTag_DerivedValueOnRaiseAndClearValueOnClear()
    {
        using var h = new EngineHarness("""
            { "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25,
              "actions": [ { "type": "setTag", "tag": "derived/cooling", "value": true, "clearValue": false } ] }
            """);

        var raised = Assert.Single(h.Push("temperature", 30, 0));
        var cleared = Assert.Single(h.Push("temperature", 20, 1));

        Assert.Equal(("derived", "cooling", TagValue.FromFlag(true)), (raised.Device, raised.Tag, raised.Value));
        Assert.Equal(TagValue.FromFlag(false), cleared.Value);
        Assert.Empty(h.Alarms.GetAlarms());
    }

    [Fact]
    public void OnTransition_Write_QueuedNotWrittenInline()
    {
        using var h = new EngineHarness("""
            { "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25,
              "actions": [ { "type": "write", "tag": "plc/setpoint", "value": 19.5, "clearValue": 21.5 } ] }
            """);

        h.Push("temperature", 30, 0);
        h.Push("temperature", 20, 1);

        Assert.True(h.Writes.Reader.TryRead(out var first));
        Assert.True(h.Writes.Reader.TryRead(out var second));
        Assert.Equal(("hot", "plc", "setpoint", TagValue.FromNumber(19.5)), (first.Rule, first.Device, first.Tag, first.Value));
        Assert.Equal(TagValue.FromNumber(21.5), second.Value);
    }

    [Fact]
    public void OnTransition_RateLimit_SuppressedRaisesCountedAndTheirClearsSkipped()
    {
        using var h = new EngineHarness("""
            { "name": "flappy", "type": "threshold", "tag": "plc/temperature", "above": 25,
              "actions": [ { "type": "setTag", "tag": "derived/flap", "value": 1, "clearValue": 0 } ],
              "rateLimit": { "burst": 2, "perMinute": 1 } }
            """);

        var outputs = new List<DataPoint>();
        for (var i = 0; i < 5; i++)
        {
            outputs.AddRange(h.Push("temperature", 30, 2 * i));
            outputs.AddRange(h.Push("temperature", 20, (2 * i) + 1));
        }

        Assert.Equal(4, outputs.Count);                       // two raises and their two clears
        Assert.Equal(3, h.Actions.SuppressedByRule["flappy"]);

        h.Time.Advance(TimeSpan.FromMinutes(1));              // one token back
        Assert.Single(h.Push("temperature", 30, 20));
    }
}
