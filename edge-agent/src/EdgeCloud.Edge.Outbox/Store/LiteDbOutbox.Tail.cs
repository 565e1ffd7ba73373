using System.Runtime.InteropServices;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// The memory tail: the newest durable batches, kept in memory until the hub acknowledges them or
/// until they pass <see cref="OutboxOptions.MemoryTailBytes"/>, and only then written to LiteDB.
/// </summary>
/// <remarks>
/// <para>
/// Durability does not depend on LiteDB: a batch is durable once its journal group is fsynced, and
/// opening rebuilds LiteDB from the journal whatever LiteDB's (never synced) file holds. LiteDB is the
/// queryable index a long backlog needs (budget, compaction, TTL, reads from any sequence). While the
/// hub keeps up, a batch is acknowledged a few milliseconds after it became durable; writing it to
/// LiteDB, reading it back for sending and deleting it again was most of the writer thread's work
/// (about 40% of the agent's CPU at 100k points/s). Such a batch now never reaches LiteDB.
/// </para>
/// <para>
/// Invariant: every batch in LiteDB has a lower sequence than every batch in the tail (the tail is
/// written to LiteDB from its oldest end, and <c>_storeHighest</c> is the highest sequence ever
/// written there). So a read after a sequence at or above <c>_storeHighest</c> needs only the tail,
/// and the sync client's reads and acknowledgements are served on the caller's thread under
/// <c>_tailLock</c> without waking the writer thread, as long as LiteDB holds nothing unacknowledged
/// and no journal segment becomes free (those go to the writer). Anything that walks the backlog in
/// LiteDB (budget, compaction, TTL, renumbering) first writes the whole tail there.
/// </para>
/// <para>
/// The acknowledged mark in LiteDB is saved at most once a second when only the tail moved it
/// (and at close). A crash in between brings back, from the journal, batches the hub acknowledged
/// in the last second; they are sent again under their own sequences and the hub skips them.
/// </para>
/// </remarks>
internal sealed partial class LiteDbOutbox
{
    private static readonly TimeSpan StateSaveInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _tailLock = new();
    private readonly Queue<TailEntry> _tail = new();
    private long _tailBytes;

    // Highest sequence ever written to LiteDB: LiteDB holds no batch above it. Changed under _tailLock.
    private ulong _storeHighest;

    // The lowest acknowledgement that frees a journal segment (ulong.MaxValue while none can).
    private long _journalReleaseAt = -1;

    // The acknowledged mark as last saved in LiteDB, and when (writer thread only).
    private ulong _savedAcknowledged;
    private long _stateSavedAt;

    /// <summary>Batches in the memory tail (not written to LiteDB).</summary>
    internal int TailBatches
    {
        get
        {
            lock (_tailLock)
            {
                return _tail.Count;
            }
        }
    }

    /// <summary>
    /// Serves a read from the tail on the caller's thread when LiteDB holds nothing after
    /// <paramref name="after"/>; false sends it to the writer thread.
    /// </summary>
    private bool TryReadTail(ulong after, int maxCount, bool handOut, out IReadOnlyList<StoredBatch> found)
    {
        lock (_tailLock)
        {
            if (after < _storeHighest)
            {
                found = [];
                return false;
            }

            var list = new List<StoredBatch>(Math.Min(maxCount, _tail.Count));
            AddFromTail(list, after, maxCount);
            if (list.Count > 0 && handOut)
            {
                // Whatever was read may be on the wire now: the budget leaves it alone.
                Interlocked.Exchange(ref _handedOut, Math.Max(Interlocked.Read(ref _handedOut), (long)list[^1].Sequence));
            }

            found = list;
            return true;
        }
    }

    /// <summary>Appends tail batches above <paramref name="after"/> to <paramref name="list"/> until it holds <paramref name="maxCount"/>. Under _tailLock.</summary>
    private void AddFromTail(List<StoredBatch> list, ulong after, int maxCount)
    {
        foreach (var entry in _tail)
        {
            if (list.Count >= maxCount)
            {
                break;
            }

            if (entry.Sequence > after)
            {
                list.Add(entry.ToStored());
            }
        }
    }

    /// <summary>
    /// Acknowledges on the caller's thread when only tail batches are affected: LiteDB holds
    /// nothing unacknowledged and no journal segment becomes free. False sends it to the writer.
    /// </summary>
    private bool TryAcknowledgeTail(ulong sequence)
    {
        lock (_tailLock)
        {
            var acknowledged = (ulong)Interlocked.Read(ref _lastAcknowledged);
            if (sequence <= acknowledged)
            {
                return true;
            }

            if (_storeHighest > acknowledged || sequence > LastDurableSequence || sequence >= (ulong)Interlocked.Read(ref _journalReleaseAt))
            {
                return false;
            }

            RemoveFromTail(sequence);
            Interlocked.Exchange(ref _lastAcknowledged, (long)sequence);
            return true;
        }
    }

    /// <summary>Removes and uncounts tail batches at or below <paramref name="sequence"/>. Under _tailLock.</summary>
    private void RemoveFromTail(ulong sequence)
    {
        long batches = 0, points = 0, bytes = 0;
        while (_tail.TryPeek(out var entry) && entry.Sequence <= sequence)
        {
            _tail.Dequeue();
            batches++;
            points += entry.Points;
            bytes += entry.Payload.Length;
        }

        _tailBytes -= bytes;
        Interlocked.Add(ref _storedBatches, -batches);
        Interlocked.Add(ref _storedPoints, -points);
        Interlocked.Add(ref _payloadBytes, -bytes);
    }

    /// <summary>Adds a durable group to the tail (writer thread).</summary>
    private void AddToTail((ulong Sequence, OutboxBatch Batch)[] entries, List<AppendCommand> group, long age)
    {
        lock (_tailLock)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                var (sequence, batch) = entries[i];
                var payload = WholeArray(batch.Payload);
                _tail.Enqueue(new TailEntry(sequence, batch.Kind, batch.PointCount, batch.SealedAtUnixNano, payload, group[i].AgeStamp ?? age));
                _tailBytes += payload.Length;
            }
        }
    }

    private long TailBytes()
    {
        lock (_tailLock)
        {
            return _tailBytes;
        }
    }

    /// <summary>
    /// Writes the tail to LiteDB once it holds more than the option allows (writer thread), unless
    /// the disk lacks the room (the budget, which ran just before, drops the oldest batches then;
    /// if it cannot, appends wait at the tail's bound, LiteDbOutbox.TailBound.cs).
    /// </summary>
    private void SpillTailWhenFull()
    {
        var bytes = TailBytes();
        if (bytes > _options.MemoryTailBytes && AvailableFreeBytes() >= _options.ReserveFreeBytes + (2 * bytes))
        {
            MaterializeTail();
        }
    }

    /// <summary>
    /// Writes every tail batch to LiteDB in one transaction (writer thread), oldest first, so that
    /// LiteDB again holds the whole backlog. The LiteDB work runs outside the lock; batches the
    /// hub acknowledged meanwhile (on the caller's thread) are deleted from LiteDB right after.
    /// </summary>
    private void MaterializeTail()
    {
        TailEntry[] moving;
        lock (_tailLock)
        {
            if (_tail.Count == 0)
            {
                return;
            }

            moving = _tail.ToArray();
        }

        var savedMark = LastAcknowledgedSequence;
        try
        {
            _db!.BeginTrans();
            var batches = _db.GetCollection(BatchesCollection);
            foreach (var entry in moving)
            {
                var doc = ToDocument(entry.Sequence, new OutboxBatch(entry.Kind, entry.Points, entry.SealedAtUnixNano, entry.Payload), entry.Age);
                if (entry.DroppedPointsBefore > 0)
                {
                    doc["dropped"] = entry.DroppedPointsBefore;
                }

                batches.Insert(doc);
            }

            SaveState(LastDurableSequence, savedMark);
            _db.Commit();
        }
        catch (IOException ex)
        {
            // Harmless for durability (the journal holds every batch), but LiteDB may now hold part
            // of a transaction: stop, and let recovery rebuild on the next start.
            _fault = ex;
            throw;
        }

        ulong acknowledged;
        lock (_tailLock)
        {
            acknowledged = LastAcknowledgedSequence;
            foreach (var entry in moving)
            {
                if (_tail.TryPeek(out var head) && head.Sequence == entry.Sequence)
                {
                    _tail.Dequeue();
                    _tailBytes -= entry.Payload.Length;
                    _waiting.Enqueue((entry.Sequence, entry.Points, entry.Payload.Length));
                }
            }

            _storeHighest = Math.Max(_storeHighest, moving[^1].Sequence);
        }

        _savedAcknowledged = savedMark;
        _stateSavedAt = _time.GetTimestamp();
        if (acknowledged >= moving[0].Sequence)
        {
            // Acknowledged on the caller's thread while LiteDB was being written.
            _db.BeginTrans();
            _db.GetCollection(BatchesCollection).DeleteMany(SequenceQuery.AtMost((long)acknowledged));
            _db.Commit();
        }
    }

    /// <summary>Publishes the acknowledgement from which the journal can free a segment.</summary>
    private void UpdateJournalReleaseMark() =>
        Interlocked.Exchange(ref _journalReleaseAt, (long)Math.Min(_journal!.ReleasableFrom, long.MaxValue));

    /// <summary>Saves the acknowledged mark to LiteDB when only the tail moved it, at most once a second (writer thread).</summary>
    private void SaveStateWhenStale(bool now = false)
    {
        var acknowledged = LastAcknowledgedSequence;
        if (acknowledged == _savedAcknowledged || _db is null || (!now && _time.GetElapsedTime(_stateSavedAt) < StateSaveInterval))
        {
            return;
        }

        _db.BeginTrans();
        SaveState(LastDurableSequence, acknowledged);
        _db.Commit();
        _savedAcknowledged = acknowledged;
        _stateSavedAt = _time.GetTimestamp();
    }

    /// <summary>
    /// How long the writer may sleep before <see cref="SaveStateWhenStale"/> may have work: while
    /// any batch waits, an acknowledgement served on a caller's thread can come at any moment.
    /// </summary>
    private TimeSpan HousekeepingDelay() =>
        LastAcknowledgedSequence == _savedAcknowledged && LastDurableSequence == LastAcknowledgedSequence ? Timeout.InfiniteTimeSpan : StateSaveInterval;

    /// <summary>
    /// The payload's own array when the memory spans all of it (what the batcher and recovery
    /// pass), else a copy: the tail and LiteDB only read it.
    /// </summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    /// <summary>
    /// Every unacknowledged batch in sequence order with its age stamp, LiteDB's first, then the
    /// tail's (writer thread): what the budget, compaction and TTL walk from the oldest end.
    /// Enumerate it before writing anything (LiteDB's cursor reads as it goes).
    /// </summary>
    private IEnumerable<(StoredBatch Batch, long Age)> Backlog()
    {
        var last = LastAcknowledgedSequence;
        if (_storeHighest > last)
        {
            foreach (var doc in _db!.GetCollection(BatchesCollection).Find(SequenceQuery.Above((long)last)))
            {
                var batch = FromDocument(doc);
                last = batch.Sequence;
                yield return (batch, AgeStampOf(doc));
            }
        }

        TailEntry[] tail;
        lock (_tailLock)
        {
            tail = _tail.ToArray();
        }

        foreach (var entry in tail)
        {
            if (entry.Sequence > last)
            {
                yield return (entry.ToStored(), entry.Age);
            }
        }
    }

    /// <summary>
    /// Hands <paramref name="droppedPoints"/> to the first batch above <paramref name="upTo"/>,
    /// in LiteDB or in the tail, so that the hub is told on it (writer thread).
    /// </summary>
    private void CarryDroppedPoints(ulong upTo, long droppedPoints)
    {
        if (_storeHighest > upTo)
        {
            var batches = _db!.GetCollection(BatchesCollection);
            _db.BeginTrans();
            var next = batches.FindOne(SequenceQuery.Above((long)upTo));
            if (next is not null)
            {
                next["dropped"] = (next.TryGetValue("dropped", out var before) ? before.AsInt64 : 0) + droppedPoints;
                batches.Update(next);
            }

            _db.Commit();
            return;
        }

        lock (_tailLock)
        {
            foreach (var entry in _tail)
            {
                if (entry.Sequence > upTo)
                {
                    entry.DroppedPointsBefore += droppedPoints;
                    return;
                }
            }
        }
    }

    /// <summary>A batch in the tail. Only <see cref="DroppedPointsBefore"/> changes, under _tailLock.</summary>
    private sealed class TailEntry(ulong sequence, OutboxBatchKind kind, int points, long sealedAtUnixNano, byte[] payload, long age)
    {
        public ulong Sequence { get; } = sequence;

        public OutboxBatchKind Kind { get; } = kind;

        public int Points { get; } = points;

        public long SealedAtUnixNano { get; } = sealedAtUnixNano;

        public byte[] Payload { get; } = payload;

        public long Age { get; } = age;

        public long DroppedPointsBefore { get; set; }

        public StoredBatch ToStored() => new(Sequence, Kind, Points, SealedAtUnixNano, Payload, DroppedPointsBefore);
    }
}
