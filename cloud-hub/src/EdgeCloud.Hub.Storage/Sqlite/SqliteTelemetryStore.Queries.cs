using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>The read side: every query opens its own pooled connection and never takes the write lock.</summary>
internal sealed partial class SqliteTelemetryStore
{
    private const string AgentColumns = """
        SELECT a.agent_id, a.first_seen, a.last_seen, a.agent_version, a.highest_sequence, a.batches, a.points, a.dropped_points, a.compacted_points,
               (SELECT COUNT(*) FROM gaps g WHERE g.agent_id = a.agent_id AND g.filled_at IS NULL)
        FROM agents a
        """;

    // The read queries name their parameters in this order, so callers pass values positionally.
    private static readonly string[] ParameterNames = ["$agent", "$tag", "$from", "$to", "$limit"];

    /// <inheritdoc />
    public ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(connection, "SELECT highest_sequence FROM agents WHERE agent_id = $agent", agentId);
        return ValueTask.FromResult(command.ExecuteScalar() is long highest ? (ulong)highest : 0UL);
    }

    /// <inheritdoc />
    public ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(connection, "SELECT outbox_epoch FROM agents WHERE agent_id = $agent", agentId);
        return ValueTask.FromResult(command.ExecuteScalar() as string ?? "");
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(connection, AgentColumns + " ORDER BY a.agent_id");
        return ValueTask.FromResult<IReadOnlyList<AgentRecord>>(ReadAgents(command));
    }

    /// <inheritdoc />
    public ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(connection, AgentColumns + " WHERE a.agent_id = $agent", agentId);
        var agents = ReadAgents(command);
        return ValueTask.FromResult(agents.Count == 0 ? null : agents[0]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the series' blocks in (first_ts, block_no) order from <c>from - MaxSpanNanos</c> (no block spans more,
    /// so none that holds a point at or after <c>from</c> starts earlier) to <c>to</c>, decodes those whose span
    /// reaches <c>from</c>, and keeps the points in range ordered by time, then block number (arrival), then
    /// position in the block (arrival within the batch). It stops once it holds <c>limit</c> points and the next
    /// block starts after the last of them, so a small page reads a few blocks whatever the range.
    /// </remarks>
    public ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var points = new List<StoredPoint>();
        if (fromUnixNano >= toUnixNano)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredPoint>>(points);
        }

        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT b.first_ts, b.block_no, b.last_ts, b.point_count, b.body
            FROM series_ids s JOIN point_blocks b ON b.series_id = s.series_id
            WHERE s.agent_id = $agent AND s.tag = $tag AND b.first_ts >= $seek AND b.first_ts < $to AND b.last_ts >= $from
            ORDER BY b.first_ts, b.block_no
            """;
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$tag", tag);
        command.Parameters.AddWithValue("$seek", fromUnixNano < long.MinValue + PointBlockCodec.MaxSpanNanos ? long.MinValue : fromUnixNano - PointBlockCodec.MaxSpanNanos);
        command.Parameters.AddWithValue("$to", toUnixNano);
        command.Parameters.AddWithValue("$from", fromUnixNano);
        using var reader = command.ExecuteReader();

        var kept = new List<(StoredPoint Point, long Block, int Index)>();
        var sorted = true;
        var decoded = new List<StoredPoint>();
        while (reader.Read())
        {
            var (firstTs, blockNo, lastTs, count) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            if (kept.Count >= limit)
            {
                if (!sorted)
                {
                    SortAndTrim(kept, limit);
                    sorted = true;
                }

                // Every later block starts after the last point kept: none of its points can come before it.
                if (firstTs > kept[^1].Point.TimeUnixNano)
                {
                    break;
                }
            }

            decoded.Clear();
            try
            {
                PointBlockCodec.Decode(reader.GetFieldValue<byte[]>(4), firstTs, lastTs, count, decoded);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException(
                    $"raw block of agent '{agentId}' tag '{tag}' starting at {firstTs} (block {blockNo}) is corrupt: {ex.Message}", ex);
            }

            for (var i = 0; i < decoded.Count; i++)
            {
                if (decoded[i].TimeUnixNano >= fromUnixNano && decoded[i].TimeUnixNano < toUnixNano)
                {
                    kept.Add((decoded[i], blockNo, i));
                    sorted = false;
                }
            }
        }

        SortAndTrim(kept, limit);
        foreach (var (point, _, _) in kept)
        {
            points.Add(point);
        }

        return ValueTask.FromResult<IReadOnlyList<StoredPoint>>(points);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(
            connection,
            """
            SELECT g.from_seq, g.to_seq, g.detected_at, g.filled_at,
                   (g.to_seq - g.from_seq + 1) - (SELECT COUNT(*) FROM batches b WHERE b.agent_id = g.agent_id AND b.sequence BETWEEN g.from_seq AND g.to_seq)
            FROM gaps g WHERE g.agent_id = $agent ORDER BY g.from_seq
            """,
            agentId);
        using var reader = command.ExecuteReader();
        var gaps = new List<GapRecord>();
        while (reader.Read())
        {
            gaps.Add(new GapRecord(
                agentId,
                (ulong)reader.GetInt64(0),
                (ulong)reader.GetInt64(1),
                UnixNanos.ToDateTimeOffset(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : UnixNanos.ToDateTimeOffset(reader.GetInt64(3)),
                (ulong)reader.GetInt64(4)));
        }

        return ValueTask.FromResult<IReadOnlyList<GapRecord>>(gaps);
    }

    /// <inheritdoc />
    public ValueTask PingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();
        using var command = Command(connection, "SELECT MAX(version) FROM schema_version");
        _ = command.ExecuteScalar();
        return ValueTask.CompletedTask;
    }

    private static void SortAndTrim(List<(StoredPoint Point, long Block, int Index)> points, int limit)
    {
        points.Sort(static (a, b) =>
        {
            var byTime = a.Point.TimeUnixNano.CompareTo(b.Point.TimeUnixNano);
            return byTime != 0 ? byTime : a.Block != b.Block ? a.Block.CompareTo(b.Block) : a.Index.CompareTo(b.Index);
        });
        if (points.Count > limit)
        {
            points.RemoveRange(limit, points.Count - limit);
        }
    }

    private static List<AgentRecord> ReadAgents(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var agents = new List<AgentRecord>();
        while (reader.Read())
        {
            agents.Add(new AgentRecord(
                reader.GetString(0),
                UnixNanos.ToDateTimeOffset(reader.GetInt64(1)),
                UnixNanos.ToDateTimeOffset(reader.GetInt64(2)),
                reader.GetString(3),
                (ulong)reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetInt64(7),
                reader.GetInt32(9),
                reader.GetInt64(8)));
        }

        return agents;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params ReadOnlySpan<object> values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(ParameterNames[i], values[i]);
        }

        return command;
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }
}
