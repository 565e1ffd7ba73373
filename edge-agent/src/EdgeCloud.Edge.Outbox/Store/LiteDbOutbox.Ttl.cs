using LiteDB;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// TTL per priority class (<see cref="OutboxOptions.TelemetryTtl"/>, <see cref="OutboxOptions.EventTtl"/>).
/// The rule: a batch's age is measured on the outbox's own running clock, never on the wall clock.
/// That clock is the monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) counted from where
/// the previous run left it (saved with the state and with every batch as its age stamp), so a wall-clock
/// jump, in either direction, neither ages nor rejuvenates anything, and time the agent was off does
/// not count (a batch may outlive its TTL by the downtime; it never expires early). Stamps only grow
/// with the sequence, so expiry removes a prefix in sequence order: it walks from the oldest batch and
/// stops at the first telemetry batch that is still young. Events younger than their own TTL in that
/// prefix are moved above it, as a drop does. Expired points are counted, logged and told to the hub
/// like dropped ones (<c>dropped_points_before</c>). A batch restored from the journal after a power
/// loss gets the restart's stamp (young), again never early.
/// </summary>
internal sealed partial class LiteDbOutbox
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromMinutes(1);
    private long _ageBase;
    private long _ageOrigin;
    private long? _lastExpiryCheck;
    private long _expiredPoints;

    /// <summary>The outbox's running clock in ticks: monotonic, continued across restarts.</summary>
    private long AgeNow() => _ageBase + _time.GetElapsedTime(_ageOrigin).Ticks;

    private long AgeStampOf(BsonDocument doc) => doc.TryGetValue("age", out var age) ? age.AsInt64 : _ageBase;

    /// <summary>Removes what outlived its TTL; cheap to call often (it looks at most once a minute).</summary>
    private void ExpireOld()
    {
        if (_options.TelemetryTtl is null && _options.EventTtl is null)
        {
            return;
        }

        var now = AgeNow();
        if ((_lastExpiryCheck is { } last && now - last < ExpiryInterval.Ticks) || (ulong)Interlocked.Read(ref _handedOut) > LastAcknowledgedSequence)
        {
            // Checked recently, or batches are in flight (the local acknowledgement would take them).
            return;
        }

        _lastExpiryCheck = now;
        var newest = LastDurableSequence;
        var kept = new List<(ulong Sequence, long Dropped, AppendCommand Move)>();
        long points = 0, expiredBatches = 0, carried = 0;
        ulong upTo = 0;
        foreach (var (stored, stamp) in Backlog())
        {
            var sequence = stored.Sequence;
            if (sequence >= newest)
            {
                break;
            }

            var isEvent = stored.Kind == OutboxBatchKind.Event;
            var ttl = isEvent ? _options.EventTtl : _options.TelemetryTtl;
            var age = stamp;
            if (ttl is null || now - age <= ttl.Value.Ticks)
            {
                if (!isEvent)
                {
                    break;
                }

                kept.Add((sequence, stored.DroppedPointsBefore, new AppendCommand(new OutboxBatch(stored.Kind, stored.PointCount, stored.SealedAtUnixNano, stored.Payload)) { AgeStamp = age }));
                continue;
            }

            points += stored.PointCount;
            carried += stored.DroppedPointsBefore;
            expiredBatches++;
            upTo = sequence;
        }

        if (expiredBatches == 0)
        {
            return;
        }

        var moves = kept.Where(k => k.Sequence < upTo).Select(k => k.Move).ToList();
        carried += kept.Where(k => k.Sequence < upTo).Sum(k => k.Dropped);
        if (moves.Count > 0)
        {
            WriteGroup(moves);
        }

        RemoveUpTo(upTo, points + carried);
        Interlocked.Add(ref _droppedBatches, expiredBatches);
        Interlocked.Add(ref _droppedPoints, points);
        Interlocked.Add(ref _expiredPoints, points);
        LogExpired(_logger, expiredBatches, points, upTo, moves.Count);
    }
}
