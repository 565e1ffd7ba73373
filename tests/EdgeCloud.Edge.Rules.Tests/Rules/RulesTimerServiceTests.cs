using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;

namespace EdgeCloud.Edge.Rules.Tests.Rules;

public class RulesTimerServiceTests
{
    [Fact]
    public async Task TickAsync_StaleRuleWithSetTag_PublishesDerivedPointAndExpiresShelves()
    {
        using var h = new EngineHarness("""
            { "name": "silent", "type": "stale", "tag": "plc/flow", "seconds": 5,
              "actions": [ { "type": "alarm" }, { "type": "setTag", "tag": "derived/flow-stale", "value": true, "clearValue": false } ] }
            """);
        var sink = new RecordingSink();
        var timer = new RulesTimerService(h.Engine, h.ModelRules, h.Alarms, sink, h.Time);
        h.Alarms.Shelve("silent", "plc/flow", TimeSpan.FromSeconds(3), suppression: false, "ann");

        h.Time.Advance(TimeSpan.FromSeconds(6));
        await timer.TickAsync(CancellationToken.None);

        var point = Assert.Single(Assert.Single(sink.Published));
        Assert.Equal(("derived", "flow-stale", TagValue.FromFlag(true)), (point.Device, point.Tag, point.Value));
        Assert.Equal(AlarmState.Active, h.AlarmOf("silent", "plc/flow")!.State);
        Assert.Empty(h.Alarms.GetShelves());
    }

    /// <summary>Imitates the point pipeline's sink: keeps what was published, never full.</summary>
    private sealed class RecordingSink : IPointSink
    {
        public List<IReadOnlyList<DataPoint>> Published { get; } = [];

        public ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
        {
            Published.Add([.. points]);
            return ValueTask.CompletedTask;
        }
    }
}
