using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// The writer connection's statements, prepared once and reused for every batch: parsing SQL per point
/// would cost more than inserting it. Not thread-safe; used only under the store's write lock.
/// </summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly SqliteCommand _ensureAgent;
    private readonly SqliteCommand _agentState;
    private readonly SqliteCommand _insertBatch;
    private readonly SqliteCommand _insertBlock;
    private readonly SqliteCommand _catalogSeries;
    private readonly SqliteCommand _insertSeriesId;
    private readonly SqliteCommand _seriesId;
    private readonly SqliteCommand _readClock;
    private readonly SqliteCommand _saveClock;
    private readonly SqliteCommand _insertGap;
    private readonly SqliteCommand _findOpenGap;
    private readonly SqliteCommand _countInRange;
    private readonly SqliteCommand _fillGap;
    private readonly SqliteCommand _afterBatch;
    private readonly SqliteCommand _touch;
    private readonly SqliteCommand _setEpoch;
    private readonly SqliteCommand _insertAlarm;
    private readonly SqliteCommand[] _all;


    public SqliteWriteCommands(SqliteConnection connection)
    {
        _ensureAgent = Create(connection, "INSERT INTO agents (agent_id, first_seen, last_seen) VALUES ($agent, $now, $now) ON CONFLICT (agent_id) DO NOTHING", "$agent", "$now");
        _agentState = Create(connection, "SELECT highest_sequence, outbox_epoch FROM agents WHERE agent_id = $agent", "$agent");
        _insertBatch = Create(
            connection,
            "INSERT INTO batches (agent_id, sequence, received_at, point_count, dropped_before, compacted_points) VALUES ($agent, $seq, $now, $count, $dropped, $compacted) ON CONFLICT (agent_id, sequence) DO NOTHING",
            "$agent", "$seq", "$now", "$count", "$dropped", "$compacted");
        _insertBlock = Create(
            connection,
            "INSERT INTO point_blocks (series_id, first_ts, block_no, last_ts, point_count, body) VALUES ($series, $first, $no, $last, $count, $body)",
            "$series", "$first", "$no", "$last", "$count", "$body");
        _catalogSeries = Create(connection, "INSERT INTO series (agent_id, tag) VALUES ($agent, $tag) ON CONFLICT DO NOTHING", "$agent", "$tag");
        _insertSeriesId = Create(connection, "INSERT INTO series_ids (agent_id, tag) VALUES ($agent, $tag) ON CONFLICT DO NOTHING", "$agent", "$tag");
        _seriesId = Create(connection, "SELECT series_id FROM series_ids WHERE agent_id = $agent AND tag = $tag", "$agent", "$tag");
        _readClock = Create(connection, "SELECT next_block FROM block_clock WHERE id = 1");
        _saveClock = Create(connection, "UPDATE block_clock SET next_block = $next WHERE id = 1", "$next");
        _insertGap = Create(connection, "INSERT INTO gaps (agent_id, from_seq, to_seq, detected_at) VALUES ($agent, $from, $to, $now)", "$agent", "$from", "$to", "$now");
        _findOpenGap = Create(
            connection,
            "SELECT from_seq, to_seq FROM gaps WHERE agent_id = $agent AND filled_at IS NULL AND from_seq <= $seq AND to_seq >= $seq LIMIT 1",
            "$agent", "$seq");
        _countInRange = Create(connection, "SELECT COUNT(*) FROM batches WHERE agent_id = $agent AND sequence BETWEEN $from AND $to", "$agent", "$from", "$to");
        _fillGap = Create(connection, "UPDATE gaps SET filled_at = $now WHERE agent_id = $agent AND from_seq = $from", "$agent", "$from", "$now");
        _afterBatch = Create(
            connection,
            """
            UPDATE agents SET highest_sequence = MAX(highest_sequence, $seq), batches = batches + 1, points = points + $count,
                dropped_points = dropped_points + $dropped, compacted_points = compacted_points + $compacted, last_seen = MAX(last_seen, $now)
            WHERE agent_id = $agent
            """,
            "$agent", "$seq", "$count", "$dropped", "$now", "$compacted");
        _touch = Create(
            connection,
            """
            INSERT INTO agents (agent_id, first_seen, last_seen, agent_version) VALUES ($agent, $now, $now, COALESCE($version, ''))
            ON CONFLICT (agent_id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen),
                agent_version = COALESCE($version, agent_version)
            """,
            "$agent", "$now", "$version");
        _setEpoch = Create(connection, "UPDATE agents SET outbox_epoch = $epoch WHERE agent_id = $agent AND outbox_epoch <> $epoch", "$agent", "$epoch");
        _insertAlarm = Create(
            connection,
            "INSERT OR IGNORE INTO alarm_events (agent_id, sequence, idx, event_no, alarm_id, tag, state, severity, ts, body) VALUES ($a, $s, $i, $n, $id, $tag, $state, $sev, $ts, $body)",
            "$a", "$s", "$i", "$n", "$id", "$tag", "$state", "$sev", "$ts", "$body");
        _all = [_ensureAgent, _agentState, _insertBatch, _insertBlock, _catalogSeries, _insertSeriesId, _seriesId, _readClock, _saveClock, _insertGap, _findOpenGap, _countInRange, _fillGap, _afterBatch, _touch, _setEpoch, _insertAlarm];
    }

    /// <summary>Runs the following statements inside <paramref name="transaction"/> (Microsoft.Data.Sqlite requires it per command).</summary>
    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public void EnsureAgent(string agentId, long now) => Run(_ensureAgent, agentId, now);

    /// <summary>The agent's highest stored sequence and outbox epoch (0 and "" when it has no row).</summary>
    public (long Highest, string Epoch) GetAgentState(string agentId)
    {
        using var reader = _agentState.Bind(agentId).ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, "");
    }

    /// <summary>The series' id, creating it (and its catalog row, which retention walks) when new.</summary>
    public long EnsureSeries(string agentId, string tag)
    {
        Run(_catalogSeries, agentId, tag);
        Run(_insertSeriesId, agentId, tag);
        return (long)_seriesId.Bind(agentId, tag).ExecuteScalar()!;
    }

    /// <summary>The next unused block number (arrival order across all blocks).</summary>
    public long ReadBlockClock() => (long)_readClock.ExecuteScalar()!;

    public void SaveBlockClock(long next) => Run(_saveClock, next);

    public void InsertBlock(long seriesId, long firstTs, long blockNo, long lastTs, int count, byte[] body) =>
        Run(_insertBlock, seriesId, firstTs, blockNo, lastTs, count, body);

    public void SetEpoch(string agentId, string epoch) => Run(_setEpoch, agentId, epoch);

    /// <summary>False when the (agent, sequence) is already stored: the dedupe check and the insert are one statement.</summary>
    public bool InsertBatch(string agentId, long sequence, long now, int count, long dropped, long compacted) =>
        Run(_insertBatch, agentId, sequence, now, count, dropped, compacted) == 1;

    public void InsertGap(string agentId, long from, long to, long now) => Run(_insertGap, agentId, from, to, now);

    /// <summary>Marks the open gap holding <paramref name="sequence"/> filled when no sequence of it is missing any more.</summary>
    public bool TryFillGap(string agentId, long sequence, long now)
    {
        long from, to;
        using (var reader = _findOpenGap.Bind(agentId, sequence).ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            (from, to) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var present = (long)_countInRange.Bind(agentId, from, to).ExecuteScalar()!;
        if (present < to - from + 1)
        {
            return false;
        }

        Run(_fillGap, agentId, from, now);
        return true;
    }

    public void AfterBatch(string agentId, long sequence, int count, long dropped, long now, long compacted) =>
        Run(_afterBatch, agentId, sequence, count, dropped, now, compacted);

    /// <summary>One alarm event of a batch; false when its (agent, event number) is already stored.</summary>
    public bool InsertAlarm(string agentId, long sequence, int index, long eventNumber, string alarmId, string tag, string state, long severity, long ts, byte[] body) =>
        Run(_insertAlarm, agentId, sequence, index, eventNumber, alarmId, tag, state, severity, ts, body) == 1;

    public void Touch(string agentId, string? version, long now) => Run(_touch, agentId, now, (object?)version ?? DBNull.Value);

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private static int Run(SqliteCommand command, params ReadOnlySpan<object> values) => command.Bind(values).ExecuteNonQuery();

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
