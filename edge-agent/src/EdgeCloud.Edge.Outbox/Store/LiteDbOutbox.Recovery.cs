using LiteDB;
using LiteDB.Engine;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>Opening the store and recovering it from the journal.</summary>
internal sealed partial class LiteDbOutbox
{
    private void Open()
    {
        Directory.CreateDirectory(_options.Directory);
        _db = OpenDatabase();
        _db.GetCollection(BatchesCollection).EnsureIndex("_id");

        var state = _db.GetCollection(StateCollection).FindById(StateId);
        var storedDurable = state is null ? 0UL : (ulong)state["lastDurable"].AsInt64;
        var storedAcked = state is null ? 0UL : (ulong)state["lastAcked"].AsInt64;
        _epoch = state?["epoch"].AsString ?? Guid.NewGuid().ToString("N");

        // The running clock continues from the newest stamp the last run left (see the TTL rule).
        var newestBefore = _db.GetCollection(BatchesCollection).FindOne(Query.All("_id", Query.Descending));
        _ageBase = Math.Max(
            state is not null && state.TryGetValue("age", out var savedAge) ? savedAge.AsInt64 : 0,
            newestBefore is not null && newestBefore.TryGetValue("age", out var newestAge) ? newestAge.AsInt64 : 0);
        _ageOrigin = _time.GetTimestamp();

        _journal = new Journal.DurableJournal(JournalDirectory, _options.JournalSegmentBytes, _files);
        var journaled = _journal.Recover(out var damaged, out var torn);
        if (damaged > 0 || torn > 0)
        {
            LogJournalDamage(_logger, damaged, torn);
        }

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
        var lastDurable = Math.Max(Math.Max(storedDurable, _journal.LastSequence), newest is null ? 0UL : (ulong)newest["_id"].AsInt64);
        _lastDurable = (long)lastDurable;
        _lastAcknowledged = (long)Math.Min(storedAcked, lastDurable);
        SaveState(lastDurable, (ulong)_lastAcknowledged);
        _db.Commit();

        foreach (var doc in batches.Find(SequenceQuery.Above(_lastAcknowledged)))
        {
            var points = doc["points"].AsInt32;
            var bytes = doc["payload"].AsBinary.Length;
            _waiting.Enqueue(((ulong)doc["_id"].AsInt64, points, bytes));
            _storedBatches++;
            _storedPoints += points;
            _payloadBytes += bytes;
        }

        _journalBytes = _journal.TotalBytes;
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
            // A damaged store is set aside, not deleted: the journal still holds every batch the
            // hub has not acknowledged, and the old file stays for inspection.
            CloseStreams();
            var aside = $"{DatabasePath}.damaged-{_time.GetUtcNow():yyyyMMddHHmmss}";
            LogStoreDamaged(_logger, DatabasePath, aside, ex);
            File.Move(DatabasePath, aside);
            if (File.Exists(LogPath))
            {
                File.Move(LogPath, aside + "-log");
            }

            return CreateDatabase();
        }
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
        ["payload"] = batch.Payload.ToArray(),
    };

    private static StoredBatch FromDocument(BsonDocument doc) => new(
        (ulong)doc["_id"].AsInt64,
        (OutboxBatchKind)doc["kind"].AsInt32,
        doc["points"].AsInt32,
        doc["sealed"].AsInt64,
        doc["payload"].AsBinary,
        doc.TryGetValue("dropped", out var dropped) ? dropped.AsInt64 : 0);
}
