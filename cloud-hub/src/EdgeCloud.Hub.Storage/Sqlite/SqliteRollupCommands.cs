using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// The writer's statements for the rollups, prepared once. A rollup upsert merges a
/// group's pre-folded bucket (<see cref="BatchRollup"/>) into the stored one by <see cref="RollupBucket.Merge"/>'s
/// rules; in SQLite's upsert the right-hand sides see the old row, so the assignments do not interfere.
/// Not thread-safe; used only under the store's write lock.
/// </summary>
internal sealed class SqliteRollupCommands : IDisposable
{
    private const string Merge = """
        ON CONFLICT (agent_id, tag, bucket) DO UPDATE SET
            cnt = cnt + excluded.cnt, vmin = MIN(vmin, excluded.vmin), vmax = MAX(vmax, excluded.vmax), vsum = vsum + excluded.vsum,
            vlast = CASE WHEN excluded.last_ts >= last_ts THEN excluded.vlast ELSE vlast END, last_ts = MAX(last_ts, excluded.last_ts)
        """;

    private readonly SqliteCommand _minute;
    private readonly SqliteCommand _hour;

    // The group's buckets, folded across its stored batches, in first-seen order.
    private readonly Dictionary<(string Agent, RollupKey Key), RollupBucket> _group = [];
    private readonly List<(string Agent, RollupKey Key)> _order = [];

    public SqliteRollupCommands(SqliteConnection connection)
    {
        _minute = CreateUpsert(connection, "rollup_1m");
        _hour = CreateUpsert(connection, "rollup_1h");
    }

    public void Enlist(SqliteTransaction? transaction)
    {
        _minute.Transaction = transaction;
        _hour.Transaction = transaction;
    }

    /// <summary>
    /// Folds a stored batch's rollups (its points and its compacted windows, by <see cref="BatchRollup.Fold"/>) into
    /// the group's buckets in memory, after the batches folded before it: merging in arrival order gives what one
    /// upsert per batch would have stored, since <see cref="RollupBucket.Merge"/> is the upsert's rule.
    /// </summary>
    public void Fold(string agentId, EdgeCloud.Proto.Sync.V1.TelemetryBatch batch)
    {
        foreach (var (key, bucket) in BatchRollup.Fold(batch))
        {
            if (_group.TryGetValue((agentId, key), out var earlier))
            {
                _group[(agentId, key)] = earlier.Merge(bucket);
            }
            else
            {
                _group.Add((agentId, key), bucket);
                _order.Add((agentId, key));
            }
        }
    }

    /// <summary>Merges the group's folded buckets into the stored ones, one upsert per (agent, tag, resolution, bucket), and forgets them.</summary>
    public void WriteGroup()
    {
        try
        {
            foreach (var (agentId, key) in _order)
            {
                var bucket = _group[(agentId, key)];
                var command = key.Resolution == RollupResolution.OneMinute ? _minute : _hour;
                command.Bind(agentId, key.Tag, bucket.BucketUnixNano, bucket.Count, bucket.Min, bucket.Max, bucket.Sum, bucket.Last, bucket.LastTimeUnixNano)
                    .ExecuteNonQuery();
            }
        }
        finally
        {
            Discard();
        }
    }

    /// <summary>Forgets what was folded (the group failed before its rollups were written).</summary>
    public void Discard()
    {
        _group.Clear();
        _order.Clear();
    }

    public void Dispose()
    {
        _minute.Dispose();
        _hour.Dispose();
    }

    private static SqliteCommand CreateUpsert(SqliteConnection connection, string table) => Create(
        connection,
        $"INSERT INTO {table} (agent_id, tag, bucket, cnt, vmin, vmax, vsum, vlast, last_ts) VALUES ($agent, $tag, $bucket, $cnt, $min, $max, $sum, $last, $lastTs) {Merge}",
        "$agent", "$tag", "$bucket", "$cnt", "$min", "$max", "$sum", "$last", "$lastTs");

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
