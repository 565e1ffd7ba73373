using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// <see cref="ITelemetryStore"/> on one SQLite file (<c>hub.db</c>) in WAL mode with <c>synchronous=FULL</c>,
/// so a commit is on disk before the ingest call returns and the hub acknowledges. All writes go through
/// one connection under an async lock (SQLite has one writer anyway; waiting callers do not hold threads);
/// each read opens its own pooled connection, which WAL lets run beside the writer.
/// </summary>
internal sealed partial class SqliteTelemetryStore : ITelemetryStore, ITelemetryRollups, ITelemetryRetention, IDisposable
{
    /// <summary>The database file's name inside the data folder.</summary>
    public const string FileName = "hub.db";

    /// <summary>At most this many batches share one transaction.</summary>
    private const int MaxGroup = 64;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingIngest> _pending = new();
    private readonly SqliteConnection _writer;
    private readonly SqliteWriteCommands _commands;
    private readonly SqliteRollupCommands _rollups;
    private readonly SqliteWriterCache _cache = new();
    private readonly string _readConnectionString;

    // The group's stored batches' points grouped by series in first-seen order, each series' points in arrival
    // order (batch order, then order within the batch); the lists are reused from group to group.
    private readonly Dictionary<long, int> _seriesSlot = [];
    private readonly List<(long Series, List<Point> Points)> _seriesPoints = [];
    private readonly Dictionary<string, long> _batchSeries = new(StringComparer.Ordinal);
    private readonly List<Point> _blockScratch = [];
    private long _nextBlock;
    private long _savedBlock;
    private bool _disposed;
    private long _groupsCommitted;

    private SqliteTelemetryStore(SqliteConnection writer, string readConnectionString, string path)
    {
        _writer = writer;
        _commands = new SqliteWriteCommands(writer);
        _rollups = new SqliteRollupCommands(writer);
        _nextBlock = _savedBlock = _commands.ReadBlockClock();
        _readConnectionString = readConnectionString;
        DatabasePath = path;
    }

    /// <summary>
    /// True: <see cref="IngestAsync(string, string, TelemetryBatch, DateTimeOffset, CancellationToken)"/> queues its
    /// batch before it returns to the caller, and groups take the queue in order.
    /// </summary>
    public bool PreservesCallOrder => true;

    /// <summary>Transactions (groups of batches) committed by ingest so far; tests read it to see batches share one.</summary>
    internal long GroupsCommitted => Interlocked.Read(ref _groupsCommitted);

    /// <summary>Batches queued for the next group and not taken yet.</summary>
    internal int QueuedIngests => _pending.Count;

    /// <summary>
    /// Holds the write lock until disposed: batches ingested meanwhile queue up and then form one group, in the
    /// order queued. Tests use it to make a known group; ingest itself never needs it.
    /// </summary>
    internal async ValueTask<IDisposable> HoldWritesAsync()
    {
        await _writeLock.WaitAsync();
        return new WriteHold(_writeLock);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens (creating when needed) <c>hub.db</c> in <paramref name="dataDirectory"/> and migrates it.</summary>
    public static SqliteTelemetryStore Open(string dataDirectory, TimeSpan busyTimeout, TimeProvider time, ILogger<SqliteTelemetryStore> logger)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY for up to this long.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var writer = new SqliteConnection(builder.ToString());
        try
        {
            writer.Open();
            var mode = Scalar(writer, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {path} (journal_mode is '{mode}')");
            }

            // FULL: the WAL is fsynced at every commit, so "acknowledged" survives power loss, not only a crash.
            Scalar(writer, "PRAGMA synchronous = FULL");
            Scalar(writer, $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}");

            // 64 MiB of page cache for the writer (default 2 MiB): the newest blocks of every series, the
            // batches key and the rollup buckets stay in memory instead of being read back per batch.
            Scalar(writer, "PRAGMA cache_size = -65536");
            var applied = SqliteMigrations.Apply(writer, UnixNanos.From(time.GetUtcNow()));
            foreach (var version in applied)
            {
                LogMigrationApplied(logger, version, path);
            }

            LogOpened(logger, path, SqliteMigrations.LatestVersion);
        }
        catch
        {
            writer.Dispose();
            SqliteConnection.ClearPool(writer);
            throw;
        }

        builder.Mode = SqliteOpenMode.ReadWrite;
        return new SqliteTelemetryStore(writer, builder.ToString(), path);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Group commit: callers queue their batch, and whoever holds the write lock stores every batch
    /// queued by then in one transaction (one fsync), each inside its own savepoint so that one bad
    /// batch fails alone. A caller whose batch a previous holder already stored just takes its result.
    /// </remarks>
    public ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        IngestAsync(agentId, "", batch, receivedAt, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outboxEpoch);
        ThrowIfInvalidAgent(agentId);
        TelemetryBatchRules.ThrowIfInvalid(batch);
        var pending = new PendingIngest(agentId, outboxEpoch, batch, UnixNanos.From(receivedAt));
        _pending.Enqueue(pending);

        // The group's work (inserts, commit, fsync) never runs on the caller's stack: a caller that queues
        // several batches without awaiting each (a pipelined sync stream) gets control back at once and
        // its next batches join the group being formed instead of waiting behind a synchronous commit.
        await Task.Yield();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                IngestGroupLocked();
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Completion.Task;
    }

    /// <inheritdoc />
    public async ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        var now = UnixNanos.From(seenAt);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _commands.Enlist(null);
            _commands.Touch(agentId, agentVersion, now);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the writer and drops pooled readers, so the file is released.</summary>
    public void Dispose()
    {
        // Wait for a write in progress: disposing its connection under it would lose the batch's commit.
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _commands.Dispose();
            _rollups.Dispose();
            _writer.Dispose();
            SqliteConnection.ClearPool(_writer);
            using var reader = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(reader);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void IngestGroupLocked()
    {
        var group = new List<PendingIngest>();
        while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
        {
            group.Add(next);
        }

        // BEGIN IMMEDIATE; each batch's bookkeeping (dedupe row, gaps, epoch, counters, series, alarms) runs in its
        // own savepoint so a bad batch fails alone. The points and rollups of the batches that were stored are then
        // written once for the whole group, grouped by series (see WriteGroupPoints): a failure there, like a
        // failed commit, fails every batch of the group and leaves nothing of it in the file.
        var results = new (IngestResult? Result, Exception? Error)[group.Count];
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            _commands.Enlist(transaction);
            _rollups.Enlist(transaction);
            for (var i = 0; i < group.Count; i++)
            {
                var savepoint = $"b{i}";
                transaction.Save(savepoint);
                _cache.Begin();
                try
                {
                    var result = IngestOne(group[i].AgentId, group[i].OutboxEpoch, group[i].Batch, group[i].ReceivedAt);
                    transaction.Release(savepoint);
                    results[i] = (result, null);
                }
                catch (SqliteException ex)
                {
                    transaction.Rollback(savepoint);
                    _cache.RollBack();
                    results[i] = (null, ex);
                    continue;
                }

                // Only now, with its savepoint released: a batch rolled back or a duplicate contributes nothing.
                if (results[i].Result!.Value.Outcome == IngestOutcome.Stored)
                {
                    CollectPoints(group[i].AgentId, group[i].Batch);
                    _rollups.Fold(group[i].AgentId, group[i].Batch);
                }
            }

            WriteGroupPoints();
            _rollups.WriteGroup();

            // Block numbers only need to grow: one write per group, and numbers a failed group used are skipped.
            if (_nextBlock != _savedBlock)
            {
                _commands.SaveBlockClock(_nextBlock);
            }

            transaction.Commit();
            _savedBlock = _nextBlock;
            Interlocked.Increment(ref _groupsCommitted);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // The transaction rolled back: what the cache learned inside it (agents, series) is not in the file.
            _cache.Clear();
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }
        catch
        {
            // The transaction rolled back on its way out: what the cache learned inside it is not in the file.
            _cache.Clear();
            throw;
        }
        finally
        {
            ForgetGroupPoints();
            _rollups.Discard();
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (results[i].Error is { } error)
            {
                group[i].Completion.TrySetException(error);
            }
            else
            {
                group[i].Completion.TrySetResult(results[i].Result!.Value);
            }
        }
    }

    private IngestResult IngestOne(string agentId, string outboxEpoch, TelemetryBatch batch, long now)
    {
        var sequence = (long)batch.Sequence;
        var count = batch.Points.Count;
        var dropped = (long)Math.Min(batch.DroppedPointsBefore, long.MaxValue);
        var compacted = (long)Math.Min(batch.CompactedPoints, long.MaxValue);

        // A cached agent has its row (committed, or written earlier in this transaction).
        var agent = _cache.Agent(agentId);
        if (agent is null)
        {
            _commands.EnsureAgent(agentId, now);
            var (storedHighest, storedEpoch) = _commands.GetAgentState(agentId);
            agent = new SqliteWriterCache.AgentState(storedHighest, storedEpoch);
            _cache.SetAgent(agentId, agent);
        }

        var highest = agent.Highest;
        if (!_commands.InsertBatch(agentId, sequence, now, count, dropped, compacted))
        {
            return IngestResult.Duplicate((ulong)highest);
        }

        ulong? gapFrom = null, gapTo = null;
        var filled = false;
        var newLife = outboxEpoch.Length > 0 && agent.Epoch.Length > 0 && outboxEpoch != agent.Epoch;
        if (outboxEpoch.Length > 0 && outboxEpoch != agent.Epoch)
        {
            _commands.SetEpoch(agentId, outboxEpoch);
        }

        if (sequence > highest + 1 && !newLife)
        {
            _commands.InsertGap(agentId, highest + 1, sequence - 1, now);
            (gapFrom, gapTo) = ((ulong)highest + 1, (ulong)sequence - 1);
        }
        else if (sequence < highest)
        {
            filled = _commands.TryFillGap(agentId, sequence, now);
        }

        // The series (catalog rows) are the batch's own, so a tag refused here fails this batch alone; its points
        // and rollups are written with the group's. Alarm events keep their per-batch rows.
        EnsureSeries(agentId, batch);
        InsertAlarms(agentId, batch);

        _commands.AfterBatch(agentId, sequence, count, dropped, now, compacted);
        _cache.SetAgent(agentId, new SqliteWriterCache.AgentState(Math.Max(highest, sequence), outboxEpoch.Length > 0 ? outboxEpoch : agent.Epoch));
        return new IngestResult(IngestOutcome.Stored, (ulong)Math.Max(highest, sequence), gapFrom, gapTo, filled);
    }

    /// <summary>Every tag of the batch, rollup-only ones (a compacted batch's windows) included, gets its series.</summary>
    private void EnsureSeries(string agentId, TelemetryBatch batch)
    {
        foreach (var point in batch.Points)
        {
            _ = SeriesId(agentId, point.Tag);
        }

        foreach (var rollup in batch.Rollups)
        {
            _ = SeriesId(agentId, rollup.Tag);
        }
    }

    /// <summary>Appends a stored batch's points to its series' lists for the group, in batch order.</summary>
    private void CollectPoints(string agentId, TelemetryBatch batch)
    {
        // Consecutive points of a batch mostly share few tags: the series is looked up once per tag and batch.
        _batchSeries.Clear();
        foreach (var point in batch.Points)
        {
            if (!_batchSeries.TryGetValue(point.Tag, out var seriesId))
            {
                seriesId = SeriesId(agentId, point.Tag);
                _batchSeries.Add(point.Tag, seriesId);
            }

            if (!_seriesSlot.TryGetValue(seriesId, out var slot))
            {
                slot = _seriesSlot.Count;
                _seriesSlot.Add(seriesId, slot);
                if (_seriesPoints.Count == slot)
                {
                    _seriesPoints.Add((seriesId, []));
                }
                else
                {
                    _seriesPoints[slot] = (seriesId, _seriesPoints[slot].Points);
                }
            }

            _seriesPoints[slot].Points.Add(point);
        }

        _batchSeries.Clear();
    }

    /// <summary>
    /// The group's points as blocks: one row per series (more when its points span more time or count than a block
    /// may), numbered from the block clock in arrival order, so a series' blocks and the points within each keep
    /// the order the reader breaks time ties by (block number, then position).
    /// </summary>
    private void WriteGroupPoints()
    {
        for (var slot = 0; slot < _seriesSlot.Count; slot++)
        {
            var (seriesId, points) = _seriesPoints[slot];
            PointBlockCodec.ForEachBlock(points, _blockScratch, (Store: this, Series: seriesId), static (state, blockPoints, first, last) =>
                state.Store._commands.InsertBlock(state.Series, first, state.Store._nextBlock++, last, blockPoints.Count, PointBlockCodec.Encode(blockPoints, first)));
        }
    }

    /// <summary>Drops the references to the group's points until the next group reuses the lists.</summary>
    private void ForgetGroupPoints()
    {
        for (var slot = 0; slot < _seriesSlot.Count; slot++)
        {
            _seriesPoints[slot].Points.Clear();
        }

        _seriesSlot.Clear();
        _blockScratch.Clear();
    }

    private long SeriesId(string agentId, string tag)
    {
        if (!_cache.TrySeries(agentId, tag, out var seriesId))
        {
            seriesId = _commands.EnsureSeries(agentId, tag);
            _cache.AddSeries(agentId, tag, seriesId);
        }

        return seriesId;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void ThrowIfInvalidAgent(string agentId)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            throw new ArgumentException($"agent id '{NameRules.Excerpt(agentId)}' is not {NameRules.NameRuleText}", nameof(agentId));
        }
    }

    private sealed class WriteHold(SemaphoreSlim writeLock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writeLock.Release();
            }
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Telemetry database {Path} open at schema version {Version}")]
    private static partial void LogOpened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Applied schema migration {Version} to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string path);
}
