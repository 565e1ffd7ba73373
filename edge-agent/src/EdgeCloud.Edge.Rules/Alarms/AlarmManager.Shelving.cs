using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>Shelving, suppression, events and the journal's side of <see cref="AlarmManager"/>.</summary>
internal sealed partial class AlarmManager
{
    public void Shelve(string rule, string tag, TimeSpan duration, bool suppression, string user, string? comment = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(user);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _shelves[(rule, tag, suppression)] = new AlarmShelf(rule, tag, suppression, now + duration, user);
            var kind = suppression ? AlarmEventKind.Suppressed : AlarmEventKind.Shelved;
            RecordShelf(kind, rule, tag, now, WithComment($"{kind.ToString().ToLowerInvariant()} by {user} until {now + duration:O}", comment), user);
        }
    }

    public bool Unshelve(string rule, string tag, bool suppression, string user)
    {
        lock (_lock)
        {
            if (!_shelves.Remove((rule, tag, suppression)))
            {
                return false;
            }

            var kind = suppression ? AlarmEventKind.Unsuppressed : AlarmEventKind.Unshelved;
            RecordShelf(kind, rule, tag, _time.GetUtcNow(), $"{kind.ToString().ToLowerInvariant()} by {user}", user);
            return true;
        }
    }

    /// <summary>Ends every shelving and suppression whose time is up (called by the rules timer).</summary>
    public void ExpireShelves()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var shelf in _shelves.Values.Where(s => s.Until <= now).ToList())
            {
                _shelves.Remove((shelf.Rule, shelf.Tag, shelf.Suppression));
                var kind = shelf.Suppression ? AlarmEventKind.Unsuppressed : AlarmEventKind.Unshelved;
                RecordShelf(kind, shelf.Rule, shelf.Tag, now, $"{kind.ToString().ToLowerInvariant()}: expired", "");
            }
        }
    }

    /// <summary>A copy of everything the journal persists.</summary>
    public AlarmJournalState Snapshot()
    {
        lock (_lock)
        {
            return new AlarmJournalState(AlarmJournalState.CurrentVersion, _nextEvent, [.. _open.Values], [.. _shelves.Values], [.. _pending]);
        }
    }

    /// <summary>The outbox holds every event up to <paramref name="eventNumber"/>: they need not be kept any more.</summary>
    public void MarkSent(ulong eventNumber)
    {
        lock (_lock)
        {
            _pending.RemoveAll(e => e.EventNumber <= eventNumber);
        }

        _dirty.Writer.TryWrite(true);
    }

    public ChannelReader<AlarmEventRecord> Subscribe(int capacity, bool announcedOnly)
    {
        var channel = Channel.CreateBounded<AlarmEventRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => _subscriberDrops.Add(1));
        lock (_lock)
        {
            _subscribers.Add((channel, announcedOnly));
        }

        return channel.Reader;
    }

    private static string WithComment(string message, string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? message : $"{message}: {comment.Trim()}";

    private void RecordShelf(AlarmEventKind kind, string rule, string tag, DateTimeOffset now, string message, string user)
    {
        _open.TryGetValue((rule, tag), out var alarm);
        var subject = alarm ?? new Alarm("", rule, tag, AlarmState.Cleared, 0, "", double.NaN, now, null);
        Record(kind, subject, now, message, double.NaN, user);
    }

    private void Record(AlarmEventKind kind, Alarm alarm, DateTimeOffset time, string message, double value, string user)
    {
        _shelves.TryGetValue((alarm.Rule, alarm.Tag, false), out var shelved);
        _shelves.TryGetValue((alarm.Rule, alarm.Tag, true), out var suppressed);
        var record = new AlarmEventRecord(
            _nextEvent++, kind, alarm.Id, alarm.Rule, alarm.Tag, alarm.State, alarm.Severity, time, message, value,
            shelved?.Until, suppressed?.Until, user);
        if (_pending.Count >= MaxPending)
        {
            LogPendingDropped(_logger, _pending[0].EventNumber, MaxPending);
            _pending.RemoveAt(0);
        }

        _pending.Add(record);
        foreach (var (channel, announcedOnly) in _subscribers)
        {
            if (!announcedOnly || record.Announced)
            {
                channel.Writer.TryWrite(record);
            }
        }

        LogEvent(_logger, record.EventNumber, kind, alarm.Rule, alarm.Tag, alarm.State, message);
        _dirty.Writer.TryWrite(true);
    }

    [LoggerMessage(EventId = 6600, Level = LogLevel.Information, Message = "Alarm event {EventNumber}: {Kind} {Rule} on {Tag}, now {State}: {Message}")]
    private static partial void LogEvent(ILogger logger, ulong eventNumber, AlarmEventKind kind, string rule, string tag, AlarmState state, string message);

    [LoggerMessage(EventId = 6601, Level = LogLevel.Error, Message = "Alarm event {EventNumber} dropped: {Max} events wait for the outbox already")]
    private static partial void LogPendingDropped(ILogger logger, ulong eventNumber, int max);
}
