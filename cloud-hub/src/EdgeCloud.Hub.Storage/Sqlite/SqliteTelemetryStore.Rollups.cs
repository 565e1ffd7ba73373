using System.Text.Json;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>Rollup reads (on pooled readers, like every read) and retention deletes (on the writer, in short steps).</summary>
internal sealed partial class SqliteTelemetryStore
{
    private const string BucketColumns = "bucket, cnt, vmin, vmax, vsum, vlast, last_ts";

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RollupBucket>> QueryRollupsAsync(
        string agentId, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(
            connection,
            $"SELECT {BucketColumns} FROM {Table(resolution)} WHERE agent_id = $agent AND tag = $tag AND bucket >= $from AND bucket < $to ORDER BY bucket LIMIT $limit",
            agentId, tag, fromUnixNano, toUnixNano, limit);
        using var reader = command.ExecuteReader();
        var buckets = new List<RollupBucket>();
        while (reader.Read())
        {
            buckets.Add(ReadBucket(reader, 0));
        }

        return ValueTask.FromResult<IReadOnlyList<RollupBucket>>(buckets);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentRollupBucket>> QueryFleetRollupsAsync(
        IReadOnlyCollection<string> agentIds, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();

        // The agent list travels as one JSON array parameter: no SQL built from input, any list length.
        using var command = Command(
            connection,
            $"""
            SELECT agent_id, {BucketColumns} FROM {Table(resolution)}
            WHERE agent_id IN (SELECT value FROM json_each($agent)) AND tag = $tag AND bucket >= $from AND bucket < $to
            ORDER BY bucket, agent_id LIMIT $limit
            """,
            JsonSerializer.Serialize(agentIds, StorageJsonContext.Default.IReadOnlyCollectionString), tag, fromUnixNano, toUnixNano, limit);
        using var reader = command.ExecuteReader();
        var rows = new List<AgentRollupBucket>();
        while (reader.Read())
        {
            rows.Add(new AgentRollupBucket(reader.GetString(0), ReadBucket(reader, 1)));
        }

        return ValueTask.FromResult<IReadOnlyList<AgentRollupBucket>>(rows);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks the series catalog and each series' time key, so finding expired rows costs index seeks, not a
    /// table scan; the write lock is held for one bounded DELETE only. On the raw tier a row is a block, deleted
    /// when its last point is older than the cutoff: a block straddling the cutoff stays, whole, until all its
    /// points have expired (at most <see cref="PointBlockCodec.MaxSpanNanos"/> longer than its oldest point).
    /// There <paramref name="maxRows"/> bounds the blocks of a step and the count returned is points.
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
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return tier == RetentionTier.Raw
                ? DeleteExpiredBlocksLocked(cutoffUnixNano, maxRows, agentId)
                : DeleteExpiredBucketsLocked(tier, cutoffUnixNano, maxRows, agentId);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Deletes up to <paramref name="maxRows"/> raw blocks wholly older than the cutoff, of one agent or (null) of all.</summary>
    private int DeleteExpiredBlocksLocked(long cutoffUnixNano, int maxRows, string? agentId)
    {
        using var command = _writer.CreateCommand();

        // The agent filter is left out, not written as "$agent IS NULL OR ...", so a per-agent step seeks that agent's series.
        command.CommandText = $"""
            DELETE FROM point_blocks WHERE (series_id, first_ts, block_no) IN (
                SELECT b.series_id, b.first_ts, b.block_no FROM series_ids s CROSS JOIN point_blocks b
                WHERE {AgentFilter(agentId)}b.series_id = s.series_id AND b.first_ts < $cut AND b.last_ts < $cut
                LIMIT $max)
            RETURNING point_count
            """;
        AddStepParameters(command, agentId, cutoffUnixNano, maxRows);

        // Counted in points, as every other store counts the raw tier, so the job's figures mean the same on each
        // backend. A step deletes up to maxRows blocks, so it returns at least maxRows whenever it was full.
        using var reader = command.ExecuteReader();
        var points = 0;
        while (reader.Read())
        {
            points += reader.GetInt32(0);
        }

        return points;
    }

    private int DeleteExpiredBucketsLocked(RetentionTier tier, long cutoffUnixNano, int maxRows, string? agentId)
    {
        var table = Table(tier == RetentionTier.OneMinute ? RollupResolution.OneMinute : RollupResolution.OneHour);
        using var command = _writer.CreateCommand();
        command.CommandText = $"""
            DELETE FROM {table} AS d
            WHERE (d.agent_id, d.tag, d.bucket) IN (
                SELECT r.agent_id, r.tag, r.bucket FROM series s CROSS JOIN {table} r
                WHERE {AgentFilter(agentId)}r.agent_id = s.agent_id AND r.tag = s.tag AND r.bucket < $cut LIMIT $max)
            """;
        return ExecuteStep(command, agentId, cutoffUnixNano, maxRows);
    }

    private static string AgentFilter(string? agentId) => agentId is null ? "" : "s.agent_id = $agent AND ";

    private static int ExecuteStep(SqliteCommand command, string? agentId, long cutoffUnixNano, int maxRows)
    {
        AddStepParameters(command, agentId, cutoffUnixNano, maxRows);
        return command.ExecuteNonQuery();
    }

    private static void AddStepParameters(SqliteCommand command, string? agentId, long cutoffUnixNano, int maxRows)
    {
        if (agentId is not null)
        {
            command.Parameters.AddWithValue("$agent", agentId);
        }

        command.Parameters.AddWithValue("$cut", cutoffUnixNano);
        command.Parameters.AddWithValue("$max", maxRows);
    }

    private static string Table(RollupResolution resolution) => resolution switch
    {
        RollupResolution.OneMinute => "rollup_1m",
        RollupResolution.OneHour => "rollup_1h",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "no such rollup level"),
    };

    private static RollupBucket ReadBucket(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetInt64(first + 1),
        reader.GetDouble(first + 2),
        reader.GetDouble(first + 3),
        reader.GetDouble(first + 4),
        reader.GetDouble(first + 5),
        reader.GetInt64(first + 6));
}
