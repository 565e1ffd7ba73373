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

    [Fact]
    public async Task IngestAsync_BatchWithManyEvents_StoresEveryEventWithItsFields()
    {
        // Every field differs between events, so a row that took another event's column would show.
        var first = new TelemetryBatch { Sequence = 1 };
        for (var i = 1; i <= 300; i++)
        {
            first.Alarms.Add(new AlarmEvent
            {
                EventNumber = (ulong)i,
                Kind = i % 3 == 0 ? "cleared" : "raised",
                State = i % 3 == 0 ? "cleared-unacknowledged" : "active",
                AlarmId = $"rule-{i % 7}:plc{i % 5}/t",
                Rule = $"rule-{i % 7}",
                Tag = $"plc{i % 5}/t",
                Severity = (uint)(100 + i),
                TimeUnixNano = (ulong)(Batches.BaseNanos + (i * 1000L)),
                Message = $"event {i}",
                Value = i + 0.5,
                User = i % 2 == 0 ? "olga" : "",
            });
        }

        // A second batch overlapping the first by ten event numbers and naming one of its own twice: only new ones stay.
        var second = new TelemetryBatch { Sequence = 2 };
        second.Alarms.AddRange(first.Alarms.Skip(290).Select(a => a.Clone()));
        second.Alarms.AddRange(Enumerable.Range(301, 10).Select(i => Alarm((ulong)i, "raised", "active", i * 1000L)));
        second.Alarms.Add(Alarm(310, "cleared", "cleared", 310_000));

        await Store.IngestAsync(Agent, first, Now);
        await Store.IngestAsync(Agent, second, Now);
        var alarms = (IAlarmEventStore)Store;

        var byNumber = await alarms.ListAlarmEventsAfterAsync(Agent, 0, 1000);
        Assert.Equal(first.Alarms.Concat(second.Alarms.Skip(10).Take(10)), byNumber.Select(e => e.Event));
        Assert.Equal(Enumerable.Repeat(1UL, 300).Concat(Enumerable.Repeat(2UL, 10)), byNumber.Select(e => e.Sequence));
        var newestFirst = await alarms.ListAlarmEventsAsync(Agent, 0, long.MaxValue, 1000);
        Assert.Equal(byNumber.Select(e => e.Event.EventNumber).Reverse(), newestFirst.Select(e => e.Event.EventNumber));
        var window = await alarms.ListAlarmEventsAsync(Agent, Batches.BaseNanos + 100_000, Batches.BaseNanos + 200_000, 1000);
        Assert.Equal(Enumerable.Range(100, 100).Reverse().Select(i => (ulong)i), window.Select(e => e.Event.EventNumber));

        // The columns beside the encoded event (what queries filter and sort by), where the backend has rows.
        if (ReadAlarmColumns() is { } rows)
        {
            var stored = first.Alarms.Select((a, i) => (Sequence: 1, Index: i, Event: a)).Concat(second.Alarms.Select((a, i) => (Sequence: 2, Index: i, Event: a)).Skip(10).Take(10));
            Assert.Equal(
                stored.Select(r => $"{r.Sequence}|{r.Index}|{r.Event.EventNumber}|{r.Event.AlarmId}|{r.Event.Tag}|{r.Event.State}|{r.Event.Severity}|{r.Event.TimeUnixNano}"),
                rows);
        }
    }

    /// <summary>Every alarm_events row as "sequence|idx|event_no|alarm_id|tag|state|severity|ts", in (sequence, idx) order.</summary>
    private protected const string AlarmColumnsSql =
        "SELECT sequence || '|' || idx || '|' || event_no || '|' || alarm_id || '|' || tag || '|' || state || '|' || severity || '|' || ts FROM alarm_events ORDER BY sequence, idx";

    /// <summary>The rows of <see cref="AlarmColumnsSql"/>; null for a backend without tables (in memory).</summary>
    private protected virtual IReadOnlyList<string>? ReadAlarmColumns() => null;

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
