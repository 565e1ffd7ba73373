using LiteDB;
using LiteDB.Engine;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>Opening the store and recovering it from the journal.</summary>
internal sealed partial class LiteDbOutbox
{
    private void Open()
    {
        Directory.CreateDirectory(_options.Directory);
        _journal = new Journal.DurableJournal(JournalDirectory, _options.JournalSegmentBytes, _files);
        var journaled = _journal.Recover(out var damaged, out var torn);
        if (damaged > 0 || torn > 0)
        {
            LogJournalDamage(_logger, damaged, torn);
        }

        if (File.Exists(DamagedMarkerPath))
        {
            // LiteDB failed while the last run wrote (see MarkStoreDamaged): the file goes aside.
            SetStoreAside(new InvalidDataException($"LiteDB failed while the outbox ran ({DamagedMarkerPath})"));
            _files.SyncDirectory(_options.Directory);
            File.Delete(DamagedMarkerPath);
        }

        _db = OpenDatabase();
        try
        {
            LoadStore(journaled);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A power loss can leave LiteDB's unsynced file torn in a way its opening does not
            // notice, only a later read (LiteException "invalid segment position in index footer"
            // and the like). Open reads every stored batch, so whatever it got through without an
            // error can be trusted as much as LiteDB can; anything else sets the file aside and
            // rebuilds it from the journal, as when it cannot be opened at all.
            try
            {
                _db.Dispose();
            }
            catch (Exception closing) when (closing is not OutOfMemoryException)
            {
                // Closing a damaged file may fail the same way; its streams are closed below.
            }

            SetStoreAside(ex);
            _waiting.Clear();
            _storedBatches = _storedPoints = _payloadBytes = 0;
            _db = CreateDatabase();
            LoadStore(journaled);
        }

        // At most one set-aside store stays (see LiteDbOutbox.SetAside), and only while there is
        // room for it: the batches' own room is freed after the next group, the set-aside's now.
        KeepOneSetAside(_keptSetAside?.Path);
        if (BytesToFree(out var shortOf) > 0)
        {
            ReleaseSetAside(shortOf);
        }
    }

    private void LoadStore(List<StoredBatch> journaled)
    {
        _db!.GetCollection(BatchesCollection).EnsureIndex("_id");

        var state = _db.GetCollection(StateCollection).FindById(StateId);
        var storedDurable = state is null ? 0UL : (ulong)state["lastDurable"].AsInt64;
        var storedAcked = state is null ? 0UL : (ulong)state["lastAcked"].AsInt64;
        _epoch = DurableEpoch(state?["epoch"].AsString);

        // The running clock continues from the newest stamp the last run left (see the TTL rule).
        var newestBefore = _db.GetCollection(BatchesCollection).FindOne(Query.All("_id", Query.Descending));
        _ageBase = Math.Max(
            state is not null && state.TryGetValue("age", out var savedAge) ? savedAge.AsInt64 : 0,
            newestBefore is not null && newestBefore.TryGetValue("age", out var newestAge) ? newestAge.AsInt64 : 0);
        _ageOrigin = _time.GetTimestamp();

        // Re-insert what the journal holds and LiteDB lost (LiteDB does not fsync its commits, so
        // after a power loss its file may lag the journal). Batches at or below the acknowledged
        // mark are gone at the hub's request and stay gone.
        var batches = _db.GetCollection(BatchesCollection);
        var restored = 0;
        _db.BeginTrans();
        foreach (var batch in journaled)
        {
            if (batch.Sequence > storedAcked && batches.FindById((long)batch.Sequence) is null)
            {
                batches.Insert(ToDocument(batch.Sequence, new OutboxBatch(batch.Kind, batch.PointCount, batch.SealedAtUnixNano, batch.Payload), _ageBase));
                restored++;
            }
        }

        var newest = batches.FindOne(Query.All("_id", Query.Descending));
        var lastDurable = Math.Max(Math.Max(storedDurable, _journal!.LastSequence), newest is null ? 0UL : (ulong)newest["_id"].AsInt64);
        _lastDurable = (long)lastDurable;
        _lastAcknowledged = (long)Math.Min(storedAcked, lastDurable);
        SaveState(lastDurable, (ulong)_lastAcknowledged);
        _db.Commit();

        var listed = new HashSet<ulong>();
        foreach (var doc in batches.Find(SequenceQuery.Above(_lastAcknowledged)))
        {
            listed.Add((ulong)doc["_id"].AsInt64);
            var points = doc["points"].AsInt32;
            var bytes = doc["payload"].AsBinary.Length;
            _waiting.Enqueue(((ulong)doc["_id"].AsInt64, points, bytes));
            _storedBatches++;
            _storedPoints += points;
            _payloadBytes += bytes;
        }

        // A power loss can keep LiteDB's unsynced pages out of order: its index may then find a
        // batch by its sequence (so it was not restored above) while a scan, which every read of
        // the outbox is, never reaches it. Every journaled batch the store should hold must be
        // listed, or the store is set aside and rebuilt from the journal (see Open).
        var hidden = journaled.Where(b => b.Sequence > storedAcked && !listed.Contains(b.Sequence)).Select(b => b.Sequence).Take(5).ToList();
        if (hidden.Count > 0)
        {
            throw new InvalidDataException($"{DatabasePath}: a scan of the store misses journaled batches {string.Join(", ", hidden)} that its index reports or that were just restored (pages torn by a power loss)");
        }

        _storeHighest = listed.Count > 0 ? listed.Max() : 0;
        _savedAcknowledged = (ulong)_lastAcknowledged;
        _stateSavedAt = _time.GetTimestamp();
        UpdateJournalReleaseMark();
        _journalBytes = _journal!.TotalBytes;
        LogOpened(_logger, _options.Directory, lastDurable, (ulong)_lastAcknowledged, _storedBatches, restored);
    }

    private LiteDatabase OpenDatabase()
    {
        try
        {
            return CreateDatabase();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // LiteDB reports a damaged file with whatever exception its parser hits first
            // (LiteException, ArgumentOutOfRangeException, InvalidCastException...).
            SetStoreAside(ex);
            return CreateDatabase();
        }
    }

    private string DamagedMarkerPath => Path.Combine(_options.Directory, "outbox.db.damaged");

    /// <summary>
    /// LiteDB failed while the outbox ran (the writer stops; the agent exits and restarts). A
    /// power loss can tear LiteDB's unsynced file so that it opens and reads back fine but fails
    /// later ("empty page must be defined as empty type" on a write): without this mark every
    /// restart would open it again and stop again. The mark makes the next start set the file
    /// aside and rebuild it from the journal.
    /// </summary>
    private void MarkStoreDamaged()
    {
        try
        {
            using (var marker = _files.Open(DamagedMarkerPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                marker.Flush(flushToDisk: true);
            }

            _files.SyncDirectory(_options.Directory);
        }
        catch (IOException)
        {
            // The disk itself may be what failed; the next start then tries the file as it is.
        }
    }

    /// <summary>
    /// The outbox's epoch, kept in its own fsynced file: LiteDB's copy is not durable (its file is
    /// never synced), and an epoch lost to a power loss would tell the hub the data folder was
    /// wiped, which renumbers every waiting batch above the hub's mark, so batches the hub already
    /// holds would be stored twice. Written once per data folder, before anything is appended;
    /// syncing the folder also makes the journal folder's entry durable. <paramref name="fromStore"/>
    /// is the epoch an older version kept only in LiteDB.
    /// </summary>
    private string DurableEpoch(string? fromStore)
    {
        var path = Path.Combine(_options.Directory, "outbox.epoch");
        if (File.Exists(path))
        {
            var saved = File.ReadAllText(path).Trim();
            if (saved.Length == 32 && saved.All(char.IsAsciiHexDigitLower))
            {
                return saved;
            }
        }

        // Missing, or torn by a power loss during the first start (nothing was appended then).
        var epoch = string.IsNullOrEmpty(fromStore) ? Guid.NewGuid().ToString("N") : fromStore;
        using (var file = _files.Open(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(epoch));
            file.Flush(flushToDisk: true);
        }

        _files.SyncDirectory(_options.Directory);
        return epoch;
    }

    private LiteDatabase CreateDatabase()
    {
        _dataStream = new UnsyncedFileStream(DatabasePath, _files);
        _logStream = new UnsyncedFileStream(LogPath, _files);
        return new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = _dataStream, LogStream = _logStream }));
    }

    private void CloseStreams()
    {
        _dataStream?.Dispose();
        _logStream?.Dispose();
        _dataStream = null;
        _logStream = null;
    }

    private void SaveState(ulong lastDurable, ulong lastAcknowledged)
    {
        _db!.GetCollection(StateCollection).Upsert(new BsonDocument
        {
            ["_id"] = StateId,
            ["lastDurable"] = (long)lastDurable,
            ["lastAcked"] = (long)lastAcknowledged,
            ["epoch"] = _epoch,
            ["age"] = AgeNow(),
        });
    }

    private static BsonDocument ToDocument(ulong sequence, OutboxBatch batch, long ageStamp) => new()
    {
        ["age"] = ageStamp,
        ["_id"] = (long)sequence,
        ["kind"] = (int)batch.Kind,
        ["points"] = batch.PointCount,
        ["sealed"] = batch.SealedAtUnixNano,
        ["payload"] = WholeArray(batch.Payload),
    };

    private static StoredBatch FromDocument(BsonDocument doc) => new(
        (ulong)doc["_id"].AsInt64,
        (OutboxBatchKind)doc["kind"].AsInt32,
        doc["points"].AsInt32,
        doc["sealed"].AsInt64,
        doc["payload"].AsBinary,
        doc.TryGetValue("dropped", out var dropped) ? dropped.AsInt64 : 0);
}
