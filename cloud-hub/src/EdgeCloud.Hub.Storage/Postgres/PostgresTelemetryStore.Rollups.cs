using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>Rollup reads and retention deletes.</summary>
internal sealed partial class PostgresTelemetryStore
{
    private const string BucketColumns = "bucket, cnt, vmin, vmax, vsum, vlast, last_ts";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RollupBucket>> QueryRollupsAsync(
        string agentId, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = Command(
            $"SELECT {BucketColumns} FROM {Table(resolution)} WHERE agent_id = $1 AND tag = $2 AND bucket >= $3 AND bucket < $4 ORDER BY bucket LIMIT $5",
            agentId, tag, fromUnixNano, toUnixNano, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buckets = new List<RollupBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(ReadBucket(reader, 0));
        }

        return buckets;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AgentRollupBucket>> QueryFleetRollupsAsync(
        IReadOnlyCollection<string> agentIds, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = Command(
            $"""
            SELECT agent_id, {BucketColumns} FROM {Table(resolution)}
            WHERE agent_id = ANY($1) AND tag = $2 AND bucket >= $3 AND bucket < $4
            ORDER BY bucket, agent_id COLLATE "C" LIMIT $5
            """,
            agentIds.ToArray(), tag, fromUnixNano, toUnixNano, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AgentRollupBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AgentRollupBucket(reader.GetString(0), ReadBucket(reader, 1)));
        }

        return rows;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks the series catalog and each series' index (a LATERAL probe per series), collects at most
    /// <paramref name="maxRows"/> row ids and deletes by ctid: one short transaction that locks only the
    /// rows it deletes, so ingest (which only inserts and upserts recent rows) never waits on it.
    /// </remarks>
    public ValueTask<int> DeleteExpiredAsync(RetentionTier tier, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default) =>
        DeleteExpiredStepAsync(tier, null, cutoffUnixNano, maxRows, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(RetentionTier tier, string agentId, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        return DeleteExpiredStepAsync(tier, agentId, cutoffUnixNano, maxRows, cancellationToken);
    }

    /// <summary>Both retention steps: every agent's series when <paramref name="agentId"/> is null, else that agent's only.</summary>
    private async ValueTask<int> DeleteExpiredStepAsync(RetentionTier tier, string? agentId, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var (table, column) = tier switch
        {
            RetentionTier.Raw => ("points", "ts"),
            RetentionTier.OneMinute => (Table(RollupResolution.OneMinute), "bucket"),
            RetentionTier.OneHour => (Table(RollupResolution.OneHour), "bucket"),
            _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "no such retention tier"),
        };
        await using var command = Command(
            $"""
            DELETE FROM {table} WHERE ctid = ANY(ARRAY(
                SELECT x.ctid FROM series s CROSS JOIN LATERAL (
                    SELECT t.ctid FROM {table} t WHERE t.agent_id = s.agent_id AND t.tag = s.tag AND t.{column} < $1 LIMIT $2) x
                {(agentId is null ? "" : "WHERE s.agent_id = $3")}
                LIMIT $2))
            """,
            agentId is null ? [cutoffUnixNano, maxRows] : [cutoffUnixNano, maxRows, agentId]);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Table(RollupResolution resolution) => resolution switch
    {
        RollupResolution.OneMinute => "rollup_1m",
        RollupResolution.OneHour => "rollup_1h",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "no such rollup level"),
    };

    private static RollupBucket ReadBucket(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetInt64(first + 1),
        reader.GetDouble(first + 2),
        reader.GetDouble(first + 3),
        reader.GetDouble(first + 4),
        reader.GetDouble(first + 5),
        reader.GetInt64(first + 6));
}
