using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>Alarm events ride in batches: stored exactly once with them, on every backend.</summary>
public abstract partial class TelemetryStoreBehaviourTests
{
    [Fact]
    public async Task IngestAsync_EventBatchReplayedAndEventSentTwice_EachEventStoredOnceNewestFirst()
    {
        var raised = Alarm(1, "raised", "active", 100);
        var cleared = Alarm(2, "cleared", "cleared-unacknowledged", 200);
        var first = new TelemetryBatch { Sequence = 1, Alarms = { raised } };
        var second = new TelemetryBatch { Sequence = 2, Alarms = { cleared } };
        // The agent's disk budget may move an event above a drop: it then comes again under a new sequence.
        var movedCopy = new TelemetryBatch { Sequence = 3, Alarms = { cleared } };

        await Store.IngestAsync(Agent, first, Now);
        await Store.IngestAsync(Agent, first, Now); // replayed after a lost ack
        await Store.IngestAsync(Agent, second, Now);
        await Store.IngestAsync(Agent, movedCopy, Now);

        var events = await ((IAlarmEventStore)Store).ListAlarmEventsAsync(Agent, 0, long.MaxValue, 100);
        Assert.Equal([(2UL, "cleared", 2UL), (1UL, "raised", 1UL)], events.Select(e => (e.Event.EventNumber, e.Event.Kind, e.Sequence)));
        Assert.Equal("plc1/temperature", events[0].Event.Tag);
        Assert.Equal(3UL, (await Store.GetAgentAsync(Agent))!.HighestSequence);
    }

    [Fact]
    public async Task ListAlarmEventsAsync_TimeRangeAndLimit_AreHonoured()
    {
        var batch = new TelemetryBatch { Sequence = 1 };
        for (var i = 1; i <= 5; i++)
        {
            batch.Alarms.Add(Alarm((ulong)i, "raised", "active", i * 100));
        }

        await Store.IngestAsync(Agent, batch, Now);
        var alarms = (IAlarmEventStore)Store;

        var inRange = await alarms.ListAlarmEventsAsync(Agent, Batches.BaseNanos + 200, Batches.BaseNanos + 500, 100);
        var limited = await alarms.ListAlarmEventsAsync(Agent, 0, long.MaxValue, 2);

        Assert.Equal([4UL, 3UL, 2UL], inRange.Select(e => e.Event.EventNumber));
        Assert.Equal([5UL, 4UL], limited.Select(e => e.Event.EventNumber));
        Assert.Empty(await alarms.ListAlarmEventsAsync("someone-else", 0, long.MaxValue, 100));
    }

    [Fact]
    public async Task ListAlarmEventsAfterAsync_FromACursor_InEventOrderAcrossBatches()
    {
        var first = new TelemetryBatch { Sequence = 1 };
        first.Alarms.Add(Alarm(1, "raised", "active", 500));
        first.Alarms.Add(Alarm(2, "acknowledged", "acknowledged", 100));
        var second = new TelemetryBatch { Sequence = 2 };
        second.Alarms.Add(Alarm(3, "cleared", "cleared", 300));
        await Store.IngestAsync(Agent, first, Now);
        await Store.IngestAsync(Agent, second, Now);
        var alarms = (IAlarmEventStore)Store;

        Assert.Equal([1UL, 2UL, 3UL], (await alarms.ListAlarmEventsAfterAsync(Agent, 0, 100)).Select(e => e.Event.EventNumber));
        Assert.Equal([2UL], (await alarms.ListAlarmEventsAfterAsync(Agent, 1, 1)).Select(e => e.Event.EventNumber));
        Assert.Equal([(3UL, 2UL)], (await alarms.ListAlarmEventsAfterAsync(Agent, 2, 100)).Select(e => (e.Event.EventNumber, e.Sequence)));
        Assert.Empty(await alarms.ListAlarmEventsAfterAsync(Agent, 3, 100));
        Assert.Empty(await alarms.ListAlarmEventsAfterAsync("someone-else", 0, 100));
    }

    private static AlarmEvent Alarm(ulong number, string kind, string state, long offsetNanos) => new()
    {
        EventNumber = number,
        Kind = kind,
        State = state,
        AlarmId = "high-temp:plc1/temperature",
        Rule = "high-temp",
        Tag = Tag,
        Severity = 700,
        TimeUnixNano = (ulong)(Batches.BaseNanos + offsetNanos),
        Message = "temperature above 80",
        Value = 81.5,
    };
}
