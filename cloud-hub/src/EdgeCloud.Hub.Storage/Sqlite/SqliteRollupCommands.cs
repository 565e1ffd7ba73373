using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// The writer's statements for the rollups, prepared once. A rollup upsert merges a
/// batch's pre-folded bucket (<see cref="BatchRollup"/>) into the stored one by <see cref="RollupBucket.Merge"/>'s
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

    /// <summary>Merges the batch's rollups, folded in memory first to one upsert per (tag, resolution, bucket).</summary>
    public void Apply(string agentId, EdgeCloud.Proto.Sync.V1.TelemetryBatch batch)
    {
        foreach (var (key, bucket) in BatchRollup.Fold(batch))
        {
            var command = key.Resolution == RollupResolution.OneMinute ? _minute : _hour;
            command.Bind(agentId, key.Tag, bucket.BucketUnixNano, bucket.Count, bucket.Min, bucket.Max, bucket.Sum, bucket.Last, bucket.LastTimeUnixNano)
                .ExecuteNonQuery();
        }
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
