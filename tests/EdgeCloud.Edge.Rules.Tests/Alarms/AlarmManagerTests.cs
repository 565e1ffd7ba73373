using EdgeCloud.Edge.Rules.Alarms;

namespace EdgeCloud.Edge.Rules.Tests.Alarms;

public class AlarmManagerTests
{
    private const string Hot = """{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""";

    [Fact]
    public void Acknowledge_ThenClear_ClosesTheAlarm()
    {
        using var h = new EngineHarness(Hot);
        h.Push("temperature", 30, 0);
        var id = h.AlarmOf("hot")!.Id;

        Assert.True(h.Alarms.Acknowledge(id, "ann"));
        Assert.Equal(AlarmState.Acknowledged, h.AlarmOf("hot")!.State);
        Assert.False(h.Alarms.Acknowledge(id, "ann"));
        h.Push("temperature", 20, 1);

        Assert.Null(h.AlarmOf("hot"));
        Assert.Equal(
            [(AlarmEventKind.Raised, AlarmState.Active), (AlarmEventKind.Acknowledged, AlarmState.Acknowledged), (AlarmEventKind.Cleared, AlarmState.Cleared)],
            h.Alarms.Snapshot().Pending.Select(e => (e.Kind, e.State)));
    }

    [Fact]
    public void Clear_ThenAcknowledge_ClosesTheAlarm()
    {
        using var h = new EngineHarness(Hot);
        h.Push("temperature", 30, 0);
        h.Push("temperature", 20, 1);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf("hot")!.State);

        Assert.True(h.Alarms.Acknowledge(h.AlarmOf("hot")!.Id, "ann"));

        Assert.Null(h.AlarmOf("hot"));
    }

    [Fact]
    public void Raise_WhileOpen_DeduplicatedAndClearedUnacknowledgedReturnsAsTheSameAlarm()
    {
        using var h = new EngineHarness(Hot);
        h.Push("temperature", 30, 0);
        var id = h.AlarmOf("hot")!.Id;

        Assert.False(h.Alarms.Raise("hot", "plc/temperature", 500, "again", 31, EngineHarness.T0));
        h.Push("temperature", 20, 1);
        h.Push("temperature", 30, 2);

        Assert.Equal(id, h.AlarmOf("hot")!.Id);
        Assert.Equal(AlarmState.Active, h.AlarmOf("hot")!.State);
        Assert.Equal([1UL, 2UL, 3UL], h.Alarms.Snapshot().Pending.Select(e => e.EventNumber));
    }

    [Fact]
    public void Shelve_UntilExpiry_EventsNotAnnouncedThenUnshelved()
    {
        using var h = new EngineHarness(Hot);
        var announced = h.Alarms.Subscribe(16, announcedOnly: true);
        var all = h.Alarms.Subscribe(16, announcedOnly: false);
        h.Alarms.Shelve("hot", "plc/temperature", TimeSpan.FromMinutes(10), suppression: false, "ann");

        h.Push("temperature", 30, 0);

        var raised = h.Alarms.Snapshot().Pending.Single(e => e.Kind == AlarmEventKind.Raised);
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(10), raised.ShelvedUntil);
        Assert.False(raised.Announced);
        Assert.Equal([AlarmEventKind.Shelved], Drain(announced).Select(e => e.Kind));
        Assert.Equal([AlarmEventKind.Shelved, AlarmEventKind.Raised], Drain(all).Select(e => e.Kind));

        h.Time.Advance(TimeSpan.FromMinutes(9));
        h.Alarms.ExpireShelves();
        Assert.Single(h.Alarms.GetShelves());
        h.Time.Advance(TimeSpan.FromMinutes(1));
        h.Alarms.ExpireShelves();

        Assert.Empty(h.Alarms.GetShelves());
        var unshelved = Assert.Single(Drain(announced));
        Assert.Equal((AlarmEventKind.Unshelved, AlarmState.Active), (unshelved.Kind, unshelved.State));
    }

    [Fact]
    public void Suppress_ThenUnshelveEarly_EndsTheSuppression()
    {
        using var h = new EngineHarness(Hot);
        h.Alarms.Shelve("hot", "plc/temperature", TimeSpan.FromHours(1), suppression: true, "maintenance");
        h.Push("temperature", 30, 0);
        Assert.NotNull(h.Alarms.Snapshot().Pending[^1].SuppressedUntil);

        Assert.True(h.Alarms.Unshelve("hot", "plc/temperature", suppression: true, "maintenance"));
        Assert.False(h.Alarms.Unshelve("hot", "plc/temperature", suppression: true, "maintenance"));

        Assert.Equal(AlarmEventKind.Unsuppressed, h.Alarms.Snapshot().Pending[^1].Kind);
    }

    [Fact]
    public void Restart_WithActiveAlarmInJournal_NoDuplicateRaiseAndTheRuleClearsIt()
    {
        AlarmJournalState saved;
        string id;
        using (var before = new EngineHarness(Hot))
        {
            before.Push("temperature", 30, 0);
            id = before.AlarmOf("hot")!.Id;
            before.Alarms.MarkSent(before.Alarms.Snapshot().Pending[^1].EventNumber);
            saved = before.Alarms.Snapshot();
        }

        using var after = new EngineHarness(Hot, restored: saved);
        after.Push("temperature", 31, 10);
        Assert.Equal(id, after.AlarmOf("hot")!.Id);
        Assert.Empty(after.Alarms.Snapshot().Pending);

        after.Push("temperature", 20, 11);

        var cleared = Assert.Single(after.Alarms.Snapshot().Pending);
        Assert.Equal((AlarmEventKind.Cleared, id, 2UL), (cleared.Kind, cleared.AlarmId, cleared.EventNumber));
    }

    private static List<AlarmEventRecord> Drain(System.Threading.Channels.ChannelReader<AlarmEventRecord> reader)
    {
        var list = new List<AlarmEventRecord>();
        while (reader.TryRead(out var item))
        {
            list.Add(item);
        }

        return list;
    }
}
