namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// The disk budget. Unacknowledged batches may be held twice (journal + LiteDB), so the budget
/// bounds the stored payload at half of <see cref="OutboxOptions.MaxBytes"/>; the filesystem's
/// free space is a second bound (keep <see cref="OutboxOptions.ReserveFreeBytes"/> free). When either
/// is exceeded the oldest telemetry goes first, alarms and events are kept (moved above), and the
/// loss is counted and told to the hub on the next batch it receives (<c>dropped_points_before</c>),
/// besides the sequence gap the hub records by itself.
/// </summary>
internal sealed partial class LiteDbOutbox
{
    private long _payloadBytes;
    private long _droppedBatches;
    private long _droppedPoints;

    // Highest sequence handed to a reader (the sync client): such a batch may be in flight and
    // stored by the hub already, so dropping it, or announcing a drop on it, would miscount.
    private long _handedOut;

    /// <summary>After a group became durable: makes room when the budget or the disk runs short.</summary>
    private void EnforceBudget()
    {
        var toFree = BytesToFree(out var shortOf);
        if (toFree > 0 && ReleaseSetAside(shortOf))
        {
            // A set-aside store only serves inspection: it goes before any batch, and what its
            // deletion gave back may be enough.
            toFree = BytesToFree(out _);
        }

        if (toFree > 0)
        {
            // Compaction first; a drop only for what compaction could not free.
            var compacted = CompactOldest(toFree);
            if (compacted < toFree)
            {
                DropOldest(toFree - compacted);
            }
        }
    }

    /// <summary>
    /// Payload bytes to free so that the budget and the free-space reserve both hold again (0 when
    /// they do), and <paramref name="shortOf"/>, which of them is short.
    /// </summary>
    private long BytesToFree(out string shortOf)
    {
        // Payload is held twice (journal + store); a kept set-aside store lies in the outbox's
        // folder too and counts once.
        var payload = Interlocked.Read(ref _payloadBytes);
        var setAside = Interlocked.Read(ref _setAsideBytes);
        long toFree = 0;
        shortOf = "";
        if (_options.MaxBytes > 0 && (payload * 2) + setAside > _options.MaxBytes)
        {
            // Down to 90% of the limit, so that the next groups do not each trigger a drop. At
            // least a byte: a set-aside store alone may be what exceeds the budget.
            var payloadLimit = Math.Max(_options.MaxBytes - setAside, 0) / 2;
            toFree = Math.Max(payload - (payloadLimit / 10 * 9), 1);
            shortOf = "the disk budget (outbox.maxBytes) is reached";
        }

        if (AvailableFreeBytes() < _options.ReserveFreeBytes + (2 * TailBytes()))
        {
            // The disk fills up faster than the budget (other files, a budget larger than the
            // disk): a quarter of what is stored goes, which also frees whole journal segments.
            // The memory tail counts twice: written to LiteDB, it passes through LiteDB's log
            // and then its data file.
            // At least a byte, so that an empty outbox still lets a set-aside store go.
            toFree = Math.Max(toFree, Math.Max(payload / 4, 1));
            shortOf = "the filesystem is below the outbox's free-space reserve";
        }

        return toFree;
    }

    /// <summary>Free bytes on the outbox's filesystem (statvfs); long.MaxValue when unknown.</summary>
    private long AvailableFreeBytes()
    {
        try
        {
            return new DriveInfo(_options.Directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>
    /// Drops the oldest telemetry batches until at least <paramref name="bytes"/> of payload are
    /// freed, never the newest batch. Event batches in that range get new sequences above the
    /// durable mark first (a crash in between may send such an event twice, never lose it). Batches
    /// read for sending and not yet acknowledged block the drop: they may be stored at the hub already,
    /// and the hub's acknowledgements free their space soon. (After a restart that memory is gone,
    /// so a drop may count up to one send window of batches the hub did store.)
    /// </summary>
    private void DropOldest(long bytes)
    {
        var newest = LastDurableSequence;
        var keep = new List<AppendCommand>();
        long freed = 0, points = 0, carried = 0, dropped = 0;
        ulong upTo = 0;
        if ((ulong)Interlocked.Read(ref _handedOut) > LastAcknowledgedSequence)
        {
            // Batches are in flight: the drop below is a cumulative local acknowledgement and
            // would take them too. The hub's acks free space soon; the budget waits for them.
            return;
        }

        foreach (var (stored, stamp) in Backlog())
        {
            var sequence = stored.Sequence;
            if (sequence >= newest || freed >= bytes)
            {
                break;
            }

            if (stored.Kind == OutboxBatchKind.Event)
            {
                keep.Add(new AppendCommand(new OutboxBatch(stored.Kind, stored.PointCount, stored.SealedAtUnixNano, stored.Payload)) { AgeStamp = stamp });
                carried += stored.DroppedPointsBefore;
            }
            else
            {
                freed += stored.Payload.Length;
                points += stored.PointCount;
                carried += stored.DroppedPointsBefore; // an earlier drop's count, not yet told
                dropped++;
            }

            upTo = sequence;
        }

        if (dropped == 0)
        {
            LogBudgetNothingToDrop(_logger, Interlocked.Read(ref _payloadBytes));
            return;
        }

        if (keep.Count > 0)
        {
            WriteGroup(keep);
        }

        // The next batch carries the count to the hub.
        RemoveUpTo(upTo, points + carried);
        Interlocked.Add(ref _droppedBatches, dropped);
        Interlocked.Add(ref _droppedPoints, points);
        LogBudgetDropped(_logger, dropped, points, freed, upTo, keep.Count);
    }

    /// <inheritdoc />
    public void ForgetReads() => Interlocked.Exchange(ref _handedOut, 0);

    /// <summary>True for "no space left on device" (ENOSPC) and "disk quota exceeded" (EDQUOT).</summary>
    private static bool IsDiskFull(IOException error) => (error.HResult & 0xFFFF) is 28 or 122;
}
