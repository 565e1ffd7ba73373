using EdgeCloud.Proto.Sync.V1;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>The read side: pooled connections, plain reads that never wait for ingest's row locks.</summary>
internal sealed partial class PostgresTelemetryStore
{
    private const string AgentColumns = """
        SELECT a.agent_id, a.first_seen, a.last_seen, a.agent_version, a.highest_sequence, a.batches, a.points, a.dropped_points, a.compacted_points,
               (SELECT COUNT(*) FROM gaps g WHERE g.agent_id = a.agent_id AND g.filled_at IS NULL)::integer
        FROM agents a
        """;

    /// <inheritdoc />
    public async ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT highest_sequence FROM agents WHERE agent_id = $1", agentId);
        return await command.ExecuteScalarAsync(cancellationToken) is long highest ? (ulong)highest : 0UL;
    }

    /// <inheritdoc />
    public async ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT outbox_epoch FROM agents WHERE agent_id = $1", agentId);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "";
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default)
    {
        // COLLATE "C": byte order, as the SQLite store and ordinal comparison sort ids.
        await using var command = Command(AgentColumns + " ORDER BY a.agent_id COLLATE \"C\"");
        return await ReadAgentsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(AgentColumns + " WHERE a.agent_id = $1", agentId);
        var agents = await ReadAgentsAsync(command, cancellationToken);
        return agents.Count == 0 ? null : agents[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // arrival breaks ties; the index (agent_id, tag, ts, arrival) returns rows in this order.
        await using var command = Command(
            """
            SELECT ts, value_kind, num, int_num, txt, quality, detail FROM points
            WHERE agent_id = $1 AND tag = $2 AND ts >= $3 AND ts < $4
            ORDER BY ts, arrival LIMIT $5
            """,
            agentId, tag, fromUnixNano, toUnixNano, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var points = new List<StoredPoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = (Point.ValueOneofCase)reader.GetInt16(1) switch
            {
                Point.ValueOneofCase.Number => reader.GetDouble(2),
                Point.ValueOneofCase.Integer => reader.GetInt64(3),
                Point.ValueOneofCase.Flag => reader.GetInt64(3) != 0,
                Point.ValueOneofCase.Text => reader.GetString(4),
                _ => (object?)null,
            };
            points.Add(new StoredPoint(reader.GetInt64(0), value, (Quality)reader.GetInt16(5), (uint)reader.GetInt64(6)));
        }

        return points;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(
            """
            SELECT g.from_seq, g.to_seq, g.detected_at, g.filled_at,
                   (g.to_seq - g.from_seq + 1) - (SELECT COUNT(*) FROM batches b WHERE b.agent_id = g.agent_id AND b.sequence BETWEEN g.from_seq AND g.to_seq)
            FROM gaps g WHERE g.agent_id = $1 ORDER BY g.from_seq
            """,
            agentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var gaps = new List<GapRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            gaps.Add(new GapRecord(
                agentId,
                (ulong)reader.GetInt64(0),
                (ulong)reader.GetInt64(1),
                UnixNanos.ToDateTimeOffset(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : UnixNanos.ToDateTimeOffset(reader.GetInt64(3)),
                (ulong)reader.GetInt64(4)));
        }

        return gaps;
    }

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT MAX(version) FROM schema_version");
        _ = await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<AgentRecord>> ReadAgentsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var agents = new List<AgentRecord>();
        while (await reader.ReadAsync(cancellationToken))
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

    /// <summary>A command on the pool with positional parameters ($1, $2, ...); the connection closes with the command.</summary>
    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
