using LiteDB;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>The writer thread: the only code that touches LiteDB and the journal.</summary>
internal sealed partial class LiteDbOutbox
{
    private readonly List<AppendCommand> _group = [];
    private readonly List<AcknowledgeCommand> _acks = [];

    // Every stored, unacknowledged batch in sequence order with its size, so that acknowledging
    // counts what it removes without reading the documents (payloads included) back from LiteDB.
    private readonly Queue<(ulong Sequence, int Points, int Bytes)> _waiting = new();
    private long _journalBytes;
    private long _groupCommits;

    /// <summary>How many fsynced groups were written (a group holds one or more batches).</summary>
    public long GroupCommits => Interlocked.Read(ref _groupCommits);

    private void WriterLoop()
    {
        try
        {
            Open();
            _opened.TrySetResult();
        }
        catch (Exception ex)
        {
            // Whatever stops the outbox from opening is reported to whoever constructs it, instead
            // of tearing the process down from this thread.
            _fault = ex;
            _opened.TrySetException(ex);
            return;
        }

        var reader = _commands.Reader;
        OutboxCommand? pending = null;
        while (true)
        {
            Housekeep();
            var command = pending;
            pending = null;
            var fromParked = false;
            if (command is null && _parked.Count > 0 && (_fault is not null || !TailFull()))
            {
                // Room again (acknowledgements shrank the tail, or the disk has space): the oldest
                // parked append leads the next group, the others follow it (LiteDbOutbox.Tail.cs).
                command = _parked.Dequeue();
                fromParked = true;
                Volatile.Write(ref _parkedCount, _parked.Count);
            }

            if (command is null && !reader.TryRead(out command))
            {
                // Nothing queued: sleep until a command comes, or until the acknowledged mark
                // is due to be saved (acknowledgements served on the callers' threads).
                if (reader.Completion.IsCompleted)
                {
                    break;
                }

                SleepUntilWoken(_parked.Count > 0 ? ParkedRetryDelay : HousekeepingDelay());
                continue;
            }

            if (_fault is not null)
            {
                command.Fail(new InvalidOperationException("the outbox stopped after a storage failure", _fault));
                continue;
            }

            try
            {
                if (command is AppendCommand append)
                {
                    if (!fromParked && (_parked.Count > 0 || TailFull()))
                    {
                        // The memory tail is at its bound and cannot be written to LiteDB: the
                        // append waits (in order) instead of growing memory without limit.
                        Park(append);
                        continue;
                    }

                    // Group commit: take every append already waiting (parked ones first, they
                    // are older), up to the group limit.
                    _group.Clear();
                    _group.Add(append);
                    while (_group.Count < _options.MaxGroupBatches && _parked.TryDequeue(out var older))
                    {
                        _group.Add(older);
                    }

                    Volatile.Write(ref _parkedCount, _parked.Count);

                    while (_group.Count < _options.MaxGroupBatches && _parked.Count == 0 && reader.TryRead(out var next))
                    {
                        if (next is AppendCommand more)
                        {
                            _group.Add(more);
                        }
                        else
                        {
                            pending = next;
                            break;
                        }
                    }

                    WriteGroupWithinBudget(_group);
                }
                else if (command is AcknowledgeCommand ack)
                {
                    // Acks are cumulative: collapse every ack already waiting into one LiteDB
                    // transaction, since each commit costs LiteDB's writer an fsync of its log.
                    _acks.Clear();
                    _acks.Add(ack);
                    while (reader.TryRead(out var next))
                    {
                        if (next is AcknowledgeCommand more)
                        {
                            _acks.Add(more);
                        }
                        else
                        {
                            pending = next;
                            break;
                        }
                    }

                    Acknowledge(_acks.Max(a => a.Sequence));
                    _acks.ForEach(a => a.Completion.TrySetResult(true));
                }
                else
                {
                    Execute(command);
                }
            }
            catch (Exception ex) when (ex is IOException or LiteException or UnauthorizedAccessException)
            {
                // A failed journal append leaves nothing half-written (the journal cuts it back)
                // and the callers learn it; a LiteDB failure after a good journal append would
                // leave the store behind the journal, so the outbox stops and recovery on the
                // next start re-inserts from the journal.
                LogStorageFailure(_logger, ex);
                if (ex is LiteException)
                {
                    _fault = ex;
                    MarkStoreDamaged();
                }

                if (command is AppendCommand or AcknowledgeCommand)
                {
                    foreach (var failed in command is AppendCommand ? _group.Cast<OutboxCommand>() : _acks)
                    {
                        failed.Fail(ex);
                    }
                }
                else
                {
                    command.Fail(ex);
                }
            }
        }

        if (_fault is null && _db is not null)
        {
            // A clean close leaves LiteDB holding the backlog and the acknowledged mark, so that
            // the next start restores nothing from the journal.
            try
            {
                MaterializeTail();
                SaveStateWhenStale(now: true);
            }
            catch (Exception ex) when (ex is IOException or LiteException or UnauthorizedAccessException)
            {
                LogStorageFailure(_logger, ex);
            }
        }

        FailParked();
        _journal?.Dispose();
        _db?.Dispose();
        CloseStreams();
    }

    /// <summary>Between commands: saves the acknowledged mark when it is due.</summary>
    private void Housekeep()
    {
        if (_fault is not null)
        {
            return;
        }

        try
        {
            SaveStateWhenStale();
        }
        catch (Exception ex) when (ex is IOException or LiteException or UnauthorizedAccessException)
        {
            LogStorageFailure(_logger, ex);
            _fault = ex;
            if (ex is LiteException)
            {
                MarkStoreDamaged();
            }
        }
    }

    private void WriteGroupWithinBudget(List<AppendCommand> group)
    {
        try
        {
            WriteGroup(group, complete: false);
        }
        catch (Journal.JournalFullException ex) when (Interlocked.Read(ref _storedBatches) > 1)
        {
            // The journal cut its partial append back; make room and try once more. If the disk
            // is still full the callers hear it, and their points stay in the pipeline.
            LogDiskFull(_logger, ex.Message);
            DropOldest(Math.Max(Interlocked.Read(ref _payloadBytes) / 4, 1));
            WriteGroup(group, complete: false);
        }

        try
        {
            ExpireOld();
            EnforceBudget();
            SpillTailWhenFull();
        }
        finally
        {
            // The callers hear "durable" after the room-making this group caused, so that what
            // they read next (served from the tail on their own thread) already reflects it; and
            // they hear it even when that room-making failed, since the group is durable.
            CompleteGroup(group);
        }
    }

    private void CompleteGroup(List<AppendCommand> group)
    {
        foreach (var append in group)
        {
            append.Completion.TrySetResult(append.Sequence);
        }

        SignalDurable();
    }

    private void WriteGroup(List<AppendCommand> group, bool complete = true)
    {
        var first = LastDurableSequence + 1;
        var entries = new (ulong Sequence, OutboxBatch Batch)[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            entries[i] = (first + (ulong)i, group[i].Batch);
        }

        // 1. The barrier: the journal group is on disk before anyone hears "durable".
        try
        {
            _journal!.Append(entries);
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            throw new Journal.JournalFullException(ex);
        }

        Interlocked.Increment(ref _groupCommits);
        Volatile.Write(ref _journalBytes, _journal.TotalBytes);

        // 2. The memory tail (LiteDbOutbox.Tail.cs): LiteDB gets the batch only if the hub is
        // slow to acknowledge it.
        var points = 0L;
        var bytes = 0L;
        foreach (var (_, batch) in entries)
        {
            points += batch.PointCount;
            bytes += batch.Payload.Length;
        }

        AddToTail(entries, group, AgeNow());
        UpdateJournalReleaseMark();
        var last = entries[^1].Sequence;
        Interlocked.Add(ref _storedBatches, entries.Length);
        Interlocked.Add(ref _storedPoints, points);
        Interlocked.Add(ref _payloadBytes, bytes);
        Interlocked.Exchange(ref _lastDurable, (long)last);
        // Logged before anyone hears "durable", so a log line never claims less than was stored.
        LogGroupDurable(_logger, first, last, entries.Length, points);
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Sequence = entries[i].Sequence;
        }

        if (complete)
        {
            CompleteGroup(group);
        }
    }

    private void Execute(OutboxCommand command)
    {
        switch (command)
        {
            case ReadCommand read:
                ExpireOld();
                var found = Read(read.After, read.MaxCount);
                if (found.Count > 0 && read.HandOut)
                {
                    // Whatever was read may be on the wire now: the budget leaves it alone.
                    Interlocked.Exchange(ref _handedOut, Math.Max(Interlocked.Read(ref _handedOut), (long)found[^1].Sequence));
                }

                read.Completion.TrySetResult(found);
                break;
            case AcknowledgeCommand ack:
                Acknowledge(ack.Sequence);
                ack.Completion.TrySetResult(true);
                break;
            case EnsureAboveCommand { RenumberAll: true } renumber:
                RenumberAll(renumber.Sequence);
                renumber.Completion.TrySetResult(true);
                break;
            case EnsureAboveCommand ensure:
                EnsureAbove(ensure.Sequence);
                ensure.Completion.TrySetResult(true);
                break;
            default:
                command.Fail(new InvalidOperationException($"unknown outbox command {command.GetType().Name}"));
                break;
        }
    }

    private List<StoredBatch> Read(ulong after, int maxCount)
    {
        // LiteDB's batches come first (all older than the tail's), then the tail's.
        var found = after < _storeHighest
            ? _db!.GetCollection(BatchesCollection).Find(SequenceQuery.Above((long)after), 0, maxCount).Select(FromDocument).ToList()
            : [];
        if (found.Count < maxCount)
        {
            lock (_tailLock)
            {
                AddFromTail(found, found.Count > 0 ? found[^1].Sequence : after, maxCount);
            }
        }

        return found;
    }

    private void Acknowledge(ulong sequence)
    {
        if (sequence <= LastAcknowledgedSequence)
        {
            return;
        }

        if (sequence > LastDurableSequence)
        {
            LogAckBeyondDurable(_logger, sequence, LastDurableSequence);
            sequence = LastDurableSequence;
        }

        if (_storeHighest > LastAcknowledgedSequence)
        {
            // LiteDB holds some of them (a backlog): delete them there, and save the mark with it.
            var batches = _db!.GetCollection(BatchesCollection);
            _db.BeginTrans();
            batches.DeleteMany(SequenceQuery.AtMost((long)sequence));
            SaveState(LastDurableSequence, sequence);
            _db.Commit();
            _savedAcknowledged = sequence;
            _stateSavedAt = _time.GetTimestamp();
        }

        long removedBatches = 0, removedPoints = 0, removedBytes = 0;
        while (_waiting.Count > 0 && _waiting.Peek().Sequence <= sequence)
        {
            var (_, points, bytes) = _waiting.Dequeue();
            removedBatches++;
            removedPoints += points;
            removedBytes += bytes;
        }

        Interlocked.Add(ref _storedBatches, -removedBatches);
        Interlocked.Add(ref _storedPoints, -removedPoints);
        Interlocked.Add(ref _payloadBytes, -removedBytes);
        lock (_tailLock)
        {
            RemoveFromTail(sequence);
            Interlocked.Exchange(ref _lastAcknowledged, Math.Max(Interlocked.Read(ref _lastAcknowledged), (long)sequence));
        }

        // Deleting acknowledged batches need not be durable: if a power loss brings some back,
        // they are sent again and the hub skips them by sequence.
        _journal!.ReleaseUpTo(sequence);
        UpdateJournalReleaseMark();
        Volatile.Write(ref _journalBytes, _journal.TotalBytes);
        ShrinkWhenDrained();
    }

    /// <summary>
    /// Recreates an empty LiteDB file once a backlog has fully drained from it. Safe at any moment:
    /// the state written right after (sequence marks, epoch) is also recoverable from the journal's
    /// newest segment, LiteDB holds nothing unacknowledged, and the batches in the memory tail are
    /// in the journal (and never were in this file).
    /// </summary>
    private void ShrinkWhenDrained()
    {
        if (_storeHighest > LastAcknowledgedSequence || _dataStream is null || _dataStream.Length <= _options.ShrinkStoreAboveBytes)
        {
            return;
        }

        var before = _dataStream.Length;
        _db!.Dispose();
        CloseStreams();
        _files.Delete(DatabasePath);
        _files.Delete(LogPath);
        _db = CreateDatabase();
        _db.GetCollection(BatchesCollection).EnsureIndex("_id");
        _db.BeginTrans();
        SaveState(LastDurableSequence, LastAcknowledgedSequence);
        _db.Commit();
        _savedAcknowledged = LastAcknowledgedSequence;
        LogStoreShrunk(_logger, before, _dataStream!.Length);
    }

    private void RenumberAll(ulong sequence)
    {
        MaterializeTail();
        var waiting = Read(LastAcknowledgedSequence, int.MaxValue);
        var floor = Math.Max(sequence, LastDurableSequence);
        Interlocked.Exchange(ref _lastDurable, (long)floor);
        foreach (var chunk in waiting.Chunk(256))
        {
            WriteGroup([.. chunk.Select(b => new AppendCommand(new OutboxBatch(b.Kind, b.PointCount, b.SealedAtUnixNano, b.Payload)))]);
        }

        if (waiting.Count == 0)
        {
            _db!.BeginTrans();
            SaveState(LastDurableSequence, LastAcknowledgedSequence);
            _db.Commit();
        }

        // The old copies sit at or below the floor: acknowledging it removes them. This one state
        // change must not be lost to a power loss (the journal would bring the old copies back and
        // a second renumbering would send them twice), so LiteDB is synced to disk here, once.
        Acknowledge(floor);
        SaveStateWhenStale(now: true);
        SyncStoreToDisk();
        LogSequenceRaised(_logger, floor, waiting.Count);
    }

    private void SyncStoreToDisk()
    {
        _db!.Checkpoint();
        _dataStream?.FlushToDisk();
        _logStream?.FlushToDisk();
    }

    private void EnsureAbove(ulong sequence)
    {
        if (sequence <= LastDurableSequence && sequence <= LastAcknowledgedSequence)
        {
            return;
        }

        // The hub holds sequences up to `sequence` from an earlier life of this agent (its data
        // folder was wiped). Batches stored here at or below it were never seen by the hub under
        // this epoch: give them new sequences above it, then drop the old copies. A crash midway
        // is harmless: old copies are at or below the hub's high-water mark and get skipped.
        MaterializeTail();
        var stale = Read(LastAcknowledgedSequence, int.MaxValue).Where(b => b.Sequence <= sequence).ToList();
        if (LastDurableSequence < sequence)
        {
            Interlocked.Exchange(ref _lastDurable, (long)sequence);
        }

        var group = stale.Select(b => new AppendCommand(new OutboxBatch(b.Kind, b.PointCount, b.SealedAtUnixNano, b.Payload))).ToList();
        if (group.Count > 0)
        {
            WriteGroup(group);
        }
        else
        {
            // Record the jump. It need not be durable: if a power loss loses it, the next Welcome
            // raises the counter again before anything stored meanwhile is sent.
            _db!.BeginTrans();
            SaveState(LastDurableSequence, LastAcknowledgedSequence);
            _db.Commit();
        }

        LogSequenceRaised(_logger, sequence, stale.Count);
        Acknowledge(sequence);
    }
}
