using EdgeCloud.Proto.Sync.V1;
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
    public ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenReader();

        // rowid breaks ties in arrival order; the index (agent_id, tag, ts) ends in rowid, so no sort is needed.
        using var command = Command(
            connection,
            """
            SELECT ts, value_kind, num, int_num, txt, quality, detail FROM points
            WHERE agent_id = $agent AND tag = $tag AND ts >= $from AND ts < $to
            ORDER BY ts, rowid LIMIT $limit
            """,
            agentId, tag, fromUnixNano, toUnixNano, limit);
        using var reader = command.ExecuteReader();
        var points = new List<StoredPoint>();
        while (reader.Read())
        {
            var value = (Point.ValueOneofCase)reader.GetInt32(1) switch
            {
                Point.ValueOneofCase.Number => reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2),
                Point.ValueOneofCase.Integer => reader.GetInt64(3),
                Point.ValueOneofCase.Flag => reader.GetInt64(3) != 0,
                Point.ValueOneofCase.Text => reader.GetString(4),
                _ => (object?)null,
            };
            points.Add(new StoredPoint(reader.GetInt64(0), value, (Quality)reader.GetInt32(5), (uint)reader.GetInt64(6)));
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
