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

    // The batch being stored, its points grouped by tag in first-seen order (reused: no allocation per batch).
    private readonly Dictionary<string, int> _tagIndex = new(StringComparer.Ordinal);
    private readonly List<List<Point>> _tagPoints = [];
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

        // BEGIN IMMEDIATE; each batch's dedupe insert, gap bookkeeping and points commit or vanish together.
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
                    results[i] = (IngestOne(group[i].AgentId, group[i].OutboxEpoch, group[i].Batch, group[i].ReceivedAt), null);
                    transaction.Release(savepoint);
                }
                catch (SqliteException ex)
                {
                    transaction.Rollback(savepoint);
                    _cache.RollBack();
                    results[i] = (null, ex);
                }
            }

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

        InsertBlocks(agentId, batch);
        _rollups.Apply(agentId, batch);
        InsertAlarms(agentId, batch);

        _commands.AfterBatch(agentId, sequence, count, dropped, now, compacted);
        _cache.SetAgent(agentId, new SqliteWriterCache.AgentState(Math.Max(highest, sequence), outboxEpoch.Length > 0 ? outboxEpoch : agent.Epoch));
        return new IngestResult(IngestOutcome.Stored, (ulong)Math.Max(highest, sequence), gapFrom, gapTo, filled);
    }

    /// <summary>
    /// The batch's points as blocks: one row per tag (more when a tag's points span more than a block may),
    /// each tag's points in batch order. Every tag of the batch, rollup-only ones included, gets its series.
    /// </summary>
    private void InsertBlocks(string agentId, TelemetryBatch batch)
    {
        _tagIndex.Clear();
        foreach (var point in batch.Points)
        {
            if (!_tagIndex.TryGetValue(point.Tag, out var index))
            {
                index = _tagIndex.Count;
                _tagIndex.Add(point.Tag, index);
                if (_tagPoints.Count == index)
                {
                    _tagPoints.Add([]);
                }

                _tagPoints[index].Clear();
            }

            _tagPoints[index].Add(point);
        }

        foreach (var rollup in batch.Rollups)
        {
            _ = SeriesId(agentId, rollup.Tag);
        }

        foreach (var (tag, index) in _tagIndex)
        {
            var seriesId = SeriesId(agentId, tag);
            PointBlockCodec.ForEachBlock(_tagPoints[index], _blockScratch, (Store: this, Series: seriesId), static (state, points, first, last) =>
                state.Store._commands.InsertBlock(state.Series, first, state.Store._nextBlock++, last, points.Count, PointBlockCodec.Encode(points, first)));
        }

        // Drop the references to this batch's points until the next batch reuses the lists.
        for (var i = 0; i < _tagIndex.Count; i++)
        {
            _tagPoints[i].Clear();
        }
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Telemetry database {Path} open at schema version {Version}")]
    private static partial void LogOpened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Applied schema migration {Version} to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string path);
}
