using EdgeCloud.Edge.Outbox.Compaction;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// Compaction before drop. When the budget runs short, the oldest raw telemetry batches are folded
/// into rollups (<see cref="BatchCompactor"/>) and written as one <see cref="OutboxBatchKind.Compacted"/>
/// batch with a new sequence above the durable mark; the raw batches are then removed like a drop,
/// which is what gives their journal segments back (the journal is append-only, so a compacted copy
/// under the old sequence could never free them). The replacement keeps every old sequence inside the
/// new batch: each compacted entry carries the sequence it was made durable with, and the hub
/// stores it under that sequence, so its dedupe and gap accounting stay exact. Events in the range are
/// moved above (as a drop does) and their old sequences travel as empty entries, so no sequence is
/// left as an unexplained gap. An earlier compacted batch met in the range is merged into the new one.
/// </summary>
internal sealed partial class LiteDbOutbox
{
    private long _compactedBatches;
    private long _compactedPoints;

    /// <summary>
    /// Compacts the oldest raw telemetry until about <paramref name="bytes"/> of payload are freed;
    /// returns the payload bytes freed (0 when nothing could be compacted, so that the caller drops).
    /// </summary>
    private long CompactOldest(long bytes)
    {
        var window = _options.CompactWindowSeconds;
        if (window == 0 || (ulong)Interlocked.Read(ref _handedOut) > LastAcknowledgedSequence)
        {
            // Off, or batches are in flight: the local acknowledgement below would take them too.
            return 0;
        }

        var newest = LastDurableSequence;
        // Not clock_synchronized: its seal time says when it was compacted, not when data was made.
        var carrier = new TelemetryBatch { SealedUnixNano = (ulong)UnixNanoNow() };
        var moved = new List<AppendCommand>();
        long removed = 0, carried = 0, rawPoints = 0, compactedPoints = 0, compactedBatches = 0, age = 0, carrierBytes = 0;
        ulong upTo = 0;
        foreach (var (stored, stamp) in Backlog())
        {
            var sequence = stored.Sequence;
            if (sequence >= newest || (compactedBatches > 0 && (removed - carrierBytes >= bytes || carrierBytes >= MaxCarrierBytes())))
            {
                break;
            }

            var entry = stored.Kind == OutboxBatchKind.Telemetry ? BatchCompactor.Compact(sequence, stored.Payload, window) : null;
            if (stored.Kind == OutboxBatchKind.Telemetry && entry is null)
            {
                // Not a batch this agent encoded: the range ends here (a drop takes it).
                break;
            }

            if (entry is not null && compactedBatches > 0 && carrierBytes + entry.CalculateSize() + 4 > MaxCarrierBytes())
            {
                // The carrier is full: the next compaction starts a new one (the size contract, OutboxLimits).
                break;
            }

            // The carrier's age is its newest data's, so that TTL order stays sequence order.
            age = Math.Max(age, stamp);
            switch (stored.Kind)
            {
                case OutboxBatchKind.Telemetry:
                    carrier.Compacted.Add(entry);
                    carrierBytes += entry!.CalculateSize() + 4; // + field tag and length
                    compactedBatches++;
                    compactedPoints += (long)entry.CompactedPoints;
                    rawPoints += stored.PointCount;
                    removed += stored.Payload.Length;
                    break;
                case OutboxBatchKind.Compacted when carrierBytes + stored.Payload.Length <= MaxCarrierBytes():
                    // An earlier carrier: its entries join this one, its own sequence as an empty entry.
                    carrier.Compacted.Add(TelemetryBatch.Parser.ParseFrom(stored.Payload).Compacted);
                    carrier.Compacted.Add(new TelemetryBatch { Sequence = sequence });
                    carrierBytes += stored.Payload.Length + 12;
                    rawPoints += stored.PointCount;
                    removed += stored.Payload.Length;
                    break;
                default:
                    // An event (kept longest), or a carrier too large to merge (a drop takes carriers
                    // whole, so each stays a small part of the budget): moved above unchanged.
                    moved.Add(new AppendCommand(new OutboxBatch(stored.Kind, stored.PointCount, stored.SealedAtUnixNano, stored.Payload)) { AgeStamp = stamp });
                    carrier.Compacted.Add(new TelemetryBatch { Sequence = sequence });
                    carrierBytes += 12;
                    break;
            }

            carried += stored.DroppedPointsBefore; // an earlier drop's count, not yet told
            upTo = sequence;
            if (compactedBatches >= 4 && carrierBytes * 2 > removed)
            {
                // Rollups do not pay for these batches (few samples per tag and window): stop
                // looking instead of parsing the whole backlog on every group commit.
                break;
            }
        }

        var payload = carrier.ToByteArray();
        if (compactedBatches == 0 || payload.Length > removed / 2)
        {
            // Nothing raw left to compact, or rollups not much smaller than the points (few samples
            // per tag and window in a batch): rewriting would cost more than it frees.
            return 0;
        }

        moved.Add(new AppendCommand(new OutboxBatch(OutboxBatchKind.Compacted, (int)Math.Min(rawPoints, int.MaxValue), (long)carrier.SealedUnixNano, payload)) { AgeStamp = age });
        try
        {
            WriteGroup(moved);
        }
        catch (Journal.JournalFullException ex)
        {
            // No room even for the rollups: the caller drops instead.
            LogDiskFull(_logger, ex.Message);
            return 0;
        }

        RemoveUpTo(upTo, carried);
        Interlocked.Add(ref _compactedBatches, compactedBatches);
        Interlocked.Add(ref _compactedPoints, compactedPoints);
        LogBudgetCompacted(_logger, compactedBatches, compactedPoints, removed, payload.Length, upTo, LastDurableSequence);
        return removed - payload.Length;
    }

    /// <summary>
    /// A carrier grows by merging up to a sixteenth of the payload budget, at least 64 KiB and at most
    /// <see cref="OutboxLimits.MaxCarrierBytes"/> (1 MiB): it is sent as one message, which the hub reads only
    /// up to its limit (a 1 GiB budget once made 64 MiB carriers, which a hub at gRPC's 4 MiB default refused
    /// on every reconnect, so the link never moved past them).
    /// </summary>
    private long MaxCarrierBytes() => Math.Clamp(_options.MaxBytes > 0 ? _options.MaxBytes / 16 : long.MaxValue, 64 * 1024, OutboxLimits.MaxCarrierBytes);

    /// <summary>
    /// Removes every batch up to <paramref name="upTo"/> locally (a cumulative local acknowledgement,
    /// which also releases journal segments) and hands <paramref name="droppedPoints"/> to the next
    /// stored batch, in one transaction with nothing else, so that the hub is told on it.
    /// </summary>
    private void RemoveUpTo(ulong upTo, long droppedPoints)
    {
        if (droppedPoints > 0)
        {
            CarryDroppedPoints(upTo, droppedPoints);
        }

        Acknowledge(upTo);
    }

    private long UnixNanoNow() => (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
