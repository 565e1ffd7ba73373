using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// The alarms of this agent. Invariants: at most one open alarm per rule + tag (a raise of an
/// open one is a no-op, counted as deduplicated); every change makes exactly one event with the
/// next event number; events wait in a pending list until the journal has put them in the
/// outbox, and are persisted with the alarms meanwhile, so a crash loses none. No I/O here: the
/// journal service persists and sends, woken through <see cref="Dirty"/>. Thread-safe.
/// </summary>
internal sealed partial class AlarmManager : IAlarmService, IAlarmEvents
{
    /// <summary>Most events waiting for the outbox; past it the oldest is dropped, counted and logged.</summary>
    public const int MaxPending = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Rule, string Tag), Alarm> _open = [];
    private readonly Dictionary<(string Rule, string Tag, bool Suppression), AlarmShelf> _shelves = [];
    private readonly List<AlarmEventRecord> _pending = [];
    private readonly List<(Channel<AlarmEventRecord> Channel, bool AnnouncedOnly)> _subscribers = [];
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _deduplicated;
    private readonly Counter<long> _subscriberDrops;
    private ulong _nextEvent;

    public AlarmManager(AlarmJournalState restored, TimeProvider time, IMeterFactory meters, ILogger<AlarmManager> logger)
    {
        ArgumentNullException.ThrowIfNull(restored);
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        _logger = logger;
        _nextEvent = Math.Max(1, restored.NextEventNumber);
        foreach (var alarm in restored.Alarms)
        {
            _open[(alarm.Rule, alarm.Tag)] = alarm;
        }

        foreach (var shelf in restored.Shelves)
        {
            _shelves[(shelf.Rule, shelf.Tag, shelf.Suppression)] = shelf;
        }

        _pending.AddRange(restored.Pending);
        var meter = meters.Create(RulesMetrics.MeterName);
        _deduplicated = meter.CreateCounter<long>("edge_alarm_deduplicated", "{raise}", "Raises of an alarm that was open already");
        _subscriberDrops = meter.CreateCounter<long>("edge_alarm_subscriber_drops", "{event}", "Events a slow subscriber lost (drop oldest)");
        meter.CreateObservableGauge("edge_alarms_open", () => Count, "{alarm}", "Open alarms");
        if (_pending.Count > 0)
        {
            _dirty.Writer.TryWrite(true);
        }
    }

    /// <summary>Signalled (coalesced) after every change: the journal should persist and send.</summary>
    public ChannelReader<bool> Dirty => _dirty.Reader;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>True when rule + tag has an alarm whose condition is still present (active or acknowledged).</summary>
    public bool IsConditionActive(string rule, string tag)
    {
        lock (_lock)
        {
            return _open.TryGetValue((rule, tag), out var alarm) && alarm.State is AlarmState.Active or AlarmState.Acknowledged;
        }
    }

    /// <summary>Raises rule + tag; false (deduplicated) when its alarm is active or acknowledged already.</summary>
    public bool Raise(string rule, string tag, int severity, string message, double value, DateTimeOffset time)
    {
        lock (_lock)
        {
            if (_open.TryGetValue((rule, tag), out var alarm) && alarm.State != AlarmState.ClearedUnacknowledged)
            {
                _deduplicated.Add(1);
                return false;
            }

            alarm = new Alarm(alarm?.Id ?? Guid.NewGuid().ToString("N"), rule, tag, AlarmState.Active, severity, message, value, time, null);
            _open[(rule, tag)] = alarm;
            Record(AlarmEventKind.Raised, alarm, time, message, value, "");
            return true;
        }
    }

    /// <summary>Clears rule + tag's alarm; false when it has none whose condition is present.</summary>
    public bool Clear(string rule, string tag, string message, double value, DateTimeOffset time)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue((rule, tag), out var alarm) || alarm.State == AlarmState.ClearedUnacknowledged)
            {
                return false;
            }

            alarm = alarm with { State = alarm.State == AlarmState.Acknowledged ? AlarmState.Cleared : AlarmState.ClearedUnacknowledged };
            Store(alarm);
            Record(AlarmEventKind.Cleared, alarm, time, message, value, "");
            return true;
        }
    }

    public bool Acknowledge(string alarmId, string user, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_lock)
        {
            var alarm = _open.Values.FirstOrDefault(a => a.Id == alarmId);
            if (alarm is null || alarm.State == AlarmState.Acknowledged)
            {
                return false;
            }

            alarm = alarm with { State = alarm.State == AlarmState.Active ? AlarmState.Acknowledged : AlarmState.Cleared, AcknowledgedBy = user };
            Store(alarm);
            Record(AlarmEventKind.Acknowledged, alarm, _time.GetUtcNow(), WithComment($"acknowledged by {user}", comment), alarm.Value, user);
            return true;
        }
    }

    public IReadOnlyList<Alarm> GetAlarms()
    {
        lock (_lock)
        {
            return [.. _open.Values];
        }
    }

    public IReadOnlyList<AlarmShelf> GetShelves()
    {
        lock (_lock)
        {
            return [.. _shelves.Values];
        }
    }

    private void Store(Alarm alarm)
    {
        if (alarm.State == AlarmState.Cleared)
        {
            _open.Remove((alarm.Rule, alarm.Tag));
        }
        else
        {
            _open[(alarm.Rule, alarm.Tag)] = alarm;
        }
    }
}
