using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>
/// <see cref="ITelemetryStore"/> on PostgreSQL, shareable by several hub replicas. Each batch is one
/// transaction: the agent's row is locked first (<c>SELECT ... FOR UPDATE</c>), so batches of one agent are
/// serialized across replicas and the gap bookkeeping reads a stable highest sequence; the (agent, sequence)
/// row is the dedupe key, inserted before anything else is written; the points follow by binary COPY, then
/// the series catalog, the rollups and the counters; the commit makes all of it visible at once, or none.
/// A replayed sequence, on this replica or another, finds its row and stores nothing. Concurrent agents
/// commit in parallel and PostgreSQL groups their WAL flushes, so no group-commit queue is needed here.
/// Two calls of one agent made at once may take the agent's row in either order (each on its own
/// connection), and the later sequence first would record a gap that the earlier one then fills, so this
/// store does not claim <see cref="ITelemetryStore.PreservesCallOrder"/>: a stream's batches reach it one
/// after another.
/// </summary>
internal sealed partial class PostgresTelemetryStore : ITelemetryStore, ITelemetryRollups, ITelemetryRetention, IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresTelemetryStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Connects with <paramref name="connectionString"/>, migrates the schema (under an advisory lock) and returns the store.</summary>
    public static PostgresTelemetryStore Open(string connectionString, TimeProvider time, ILogger<PostgresTelemetryStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var connection = dataSource.OpenConnection();
            foreach (var version in PostgresMigrations.Apply(connection, UnixNanos.From(time.GetUtcNow())))
            {
                LogMigrationApplied(logger, version, connection.Database);
            }

            LogOpened(logger, connection.Host ?? "", connection.Database, PostgresMigrations.LatestVersion);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new PostgresTelemetryStore(dataSource);
    }

    /// <inheritdoc />
    public ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        IngestAsync(agentId, "", batch, receivedAt, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outboxEpoch);
        ThrowIfInvalidAgent(agentId);
        TelemetryBatchRules.ThrowIfInvalid(batch);
        if (batch.Points.Count >= PostgresIngestSteps.MaxPointsPerBatch)
        {
            throw new ArgumentException($"batch sequence {batch.Sequence} holds {batch.Points.Count} points; at most {PostgresIngestSteps.MaxPointsPerBatch - 1}", nameof(batch));
        }

        var now = UnixNanos.From(receivedAt);
        var sequence = (long)batch.Sequence;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var (highest, storedEpoch, stored, isNew) = await PostgresIngestSteps.ClaimAsync(connection, transaction, agentId, sequence, now, batch, cancellationToken);
        if (!isNew)
        {
            // Nothing of this batch was written; the agent row may be new, which a duplicate cannot make.
            await transaction.RollbackAsync(cancellationToken);
            return IngestResult.Duplicate((ulong)highest);
        }

        await PostgresIngestSteps.CopyPointsAsync(connection, agentId, stored + 1, batch, cancellationToken);

        var newLife = outboxEpoch.Length > 0 && storedEpoch.Length > 0 && outboxEpoch != storedEpoch;
        ulong? gapFrom = null, gapTo = null;
        var mayFill = false;
        if (sequence > highest + 1 && !newLife)
        {
            (gapFrom, gapTo) = ((ulong)highest + 1, (ulong)sequence - 1);
        }
        else if (sequence < highest)
        {
            mayFill = true;
        }

        var filled = await PostgresIngestSteps.FinishAsync(
            connection, transaction, new PostgresIngestSteps.Finish(agentId, outboxEpoch, batch, now, gapFrom, gapTo, mayFill), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(IngestOutcome.Stored, (ulong)Math.Max(highest, sequence), gapFrom, gapTo, filled);
    }

    /// <inheritdoc />
    public async ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO agents AS a (agent_id, first_seen, last_seen, agent_version) VALUES ($1, $2, $2, COALESCE($3, ''))
            ON CONFLICT (agent_id) DO UPDATE SET last_seen = GREATEST(a.last_seen, excluded.last_seen),
                agent_version = COALESCE($3, a.agent_version)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = agentId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UnixNanos.From(seenAt) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)agentVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static void ThrowIfInvalidAgent(string agentId)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            throw new ArgumentException($"agent id '{NameRules.Excerpt(agentId)}' is not {NameRules.NameRuleText}", nameof(agentId));
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Telemetry database {Database} on {Host} open at schema version {Version}")]
    private static partial void LogOpened(ILogger logger, string host, string database, int version);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Applied schema migration {Version} to PostgreSQL database {Database}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string database);
}
