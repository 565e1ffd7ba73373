using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Proto.Sync.V1;
using Npgsql;
using NpgsqlTypes;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>
/// The statements of one batch's ingest transaction, in as few round trips as their order allows: claim
/// (agent row lock + dedupe insert), COPY of the points, then everything else in one <see cref="NpgsqlBatch"/>.
/// </summary>
internal static class PostgresIngestSteps
{
    private const string CopyPoints = "COPY points (arrival, agent_id, tag, ts, value_kind, num, int_num, txt, quality, detail) FROM STDIN (FORMAT BINARY)";

    /// <summary>Points per batch the arrival key has room for (2^24); gRPC's message size keeps batches far below it.</summary>
    public const int MaxPointsPerBatch = 1 << 24;

    private const string Merge = """
        ON CONFLICT (agent_id, tag, bucket) DO UPDATE SET
            cnt = r.cnt + excluded.cnt, vmin = LEAST(r.vmin, excluded.vmin), vmax = GREATEST(r.vmax, excluded.vmax),
            vsum = r.vsum + excluded.vsum, vlast = CASE WHEN excluded.last_ts >= r.last_ts THEN excluded.vlast ELSE r.vlast END,
            last_ts = GREATEST(r.last_ts, excluded.last_ts)
        """;

    /// <summary>
    /// Creates the agent when unknown, locks its row for the rest of the transaction and inserts the dedupe
    /// row. Returns the highest sequence, epoch and batch count as stored before this batch, and whether the batch is new.
    /// </summary>
    public static async Task<(long Highest, string Epoch, long Batches, bool IsNew)> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string agentId, long sequence, long now, TelemetryBatch batch, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("INSERT INTO agents (agent_id, first_seen, last_seen) VALUES ($1, $2, $2) ON CONFLICT (agent_id) DO NOTHING", agentId, now),
                Command("SELECT highest_sequence, outbox_epoch, batches FROM agents WHERE agent_id = $1 FOR UPDATE", agentId),
                Command(
                    "INSERT INTO batches (agent_id, sequence, received_at, point_count, dropped_before, compacted_points) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agent_id, sequence) DO NOTHING",
                    agentId, sequence, now, batch.Points.Count, (long)Math.Min(batch.DroppedPointsBefore, long.MaxValue), (long)Math.Min(batch.CompactedPoints, long.MaxValue)),
            },
        };
        long highest = 0, batches = 0;
        var epoch = "";
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                if (reader.FieldCount == 3 && await reader.ReadAsync(cancellationToken))
                {
                    (highest, epoch, batches) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        return (highest, epoch, batches, claim.BatchCommands[2].RecordsAffected == 1);
    }

    /// <summary>Streams the batch's points into <c>points</c> with binary COPY (inside the open transaction); <paramref name="ordinal"/> is the batch's arrival number for its agent.</summary>
    public static async Task CopyPointsAsync(NpgsqlConnection connection, string agentId, long ordinal, TelemetryBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Points.Count == 0)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync(CopyPoints, cancellationToken);
        var arrival = ordinal * MaxPointsPerBatch;
        foreach (var point in batch.Points)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(arrival++, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(agentId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(point.Tag, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync((long)point.TimeUnixNano, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync((short)point.ValueCase, NpgsqlDbType.Smallint, cancellationToken);
            await WriteOrNullAsync(writer, point.ValueCase == Point.ValueOneofCase.Number, point.Number, NpgsqlDbType.Double, cancellationToken);
            await WriteOrNullAsync(
                writer,
                point.ValueCase is Point.ValueOneofCase.Integer or Point.ValueOneofCase.Flag,
                point.ValueCase == Point.ValueOneofCase.Flag ? (point.Flag ? 1L : 0L) : point.Integer,
                NpgsqlDbType.Bigint,
                cancellationToken);
            await WriteOrNullAsync(writer, point.ValueCase == Point.ValueOneofCase.Text, point.Text, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync((short)point.Quality, NpgsqlDbType.Smallint, cancellationToken);
            await writer.WriteAsync((long)point.StatusDetail, NpgsqlDbType.Bigint, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Epoch, gap, series, rollups and counters in one round trip; returns whether a gap was filled.</summary>
    public static async Task<bool> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Finish finish, CancellationToken cancellationToken)
    {
        var (agentId, sequence, now) = (finish.AgentId, (long)finish.Batch.Sequence, finish.Now);
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (finish.OutboxEpoch.Length > 0)
        {
            batch.BatchCommands.Add(Command("UPDATE agents SET outbox_epoch = $2 WHERE agent_id = $1 AND outbox_epoch <> $2", agentId, finish.OutboxEpoch));
        }

        if (finish.GapFrom is { } from && finish.GapTo is { } to)
        {
            batch.BatchCommands.Add(Command("INSERT INTO gaps (agent_id, from_seq, to_seq, detected_at) VALUES ($1, $2, $3, $4)", agentId, (long)from, (long)to, now));
        }

        var fill = -1;
        if (finish.MayFillGap)
        {
            // The batch's own row is already in, so a complete range counts to_seq - from_seq + 1.
            fill = batch.BatchCommands.Count;
            batch.BatchCommands.Add(Command(
                """
                UPDATE gaps g SET filled_at = $3
                WHERE g.agent_id = $1 AND g.filled_at IS NULL AND g.from_seq <= $2 AND g.to_seq >= $2
                  AND (SELECT COUNT(*) FROM batches b WHERE b.agent_id = g.agent_id AND b.sequence BETWEEN g.from_seq AND g.to_seq) = g.to_seq - g.from_seq + 1
                """,
                agentId, sequence, now));
        }

        var tags = finish.Batch.Points.Select(p => p.Tag).Concat(finish.Batch.Rollups.Select(r => r.Tag)).Distinct(StringComparer.Ordinal).ToArray();
        if (tags.Length > 0)
        {
            batch.BatchCommands.Add(Command("INSERT INTO series (agent_id, tag) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", agentId, tags));
        }

        PostgresTelemetryStore.AddAlarms(batch, agentId, finish.Batch);
        var folded = BatchRollup.Fold(finish.Batch);
        AddRollup(batch, agentId, "rollup_1m", folded.Where(f => f.Key.Resolution == RollupResolution.OneMinute).ToList());
        AddRollup(batch, agentId, "rollup_1h", folded.Where(f => f.Key.Resolution == RollupResolution.OneHour).ToList());
        batch.BatchCommands.Add(Command(
            """
            UPDATE agents SET highest_sequence = GREATEST(highest_sequence, $2), batches = batches + 1, points = points + $3,
                dropped_points = dropped_points + $4, compacted_points = compacted_points + $6, last_seen = GREATEST(last_seen, $5)
            WHERE agent_id = $1
            """,
            agentId, sequence, (long)finish.Batch.Points.Count, (long)Math.Min(finish.Batch.DroppedPointsBefore, long.MaxValue), now, (long)Math.Min(finish.Batch.CompactedPoints, long.MaxValue)));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return fill >= 0 && batch.BatchCommands[fill].RecordsAffected > 0;
    }

    /// <summary>A command with positional parameters ($1, $2, ...) typed by their CLR values.</summary>
    public static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static void AddRollup(NpgsqlBatch batch, string agentId, string table, List<KeyValuePair<RollupKey, RollupBucket>> buckets)
    {
        if (buckets.Count == 0)
        {
            return;
        }

        // One statement per level: unnest turns the parallel arrays into rows. Fold gives each key once,
        // so no row is hit twice by one upsert (which PostgreSQL refuses).
        batch.BatchCommands.Add(Command(
            $"""
            INSERT INTO {table} AS r (agent_id, tag, bucket, cnt, vmin, vmax, vsum, vlast, last_ts)
            SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::bigint[])
            {Merge}
            """,
            agentId,
            buckets.Select(b => b.Key.Tag).ToArray(),
            buckets.Select(b => b.Value.BucketUnixNano).ToArray(),
            buckets.Select(b => b.Value.Count).ToArray(),
            buckets.Select(b => b.Value.Min).ToArray(),
            buckets.Select(b => b.Value.Max).ToArray(),
            buckets.Select(b => b.Value.Sum).ToArray(),
            buckets.Select(b => b.Value.Last).ToArray(),
            buckets.Select(b => b.Value.LastTimeUnixNano).ToArray()));
    }

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter writer, bool present, T value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        present ? writer.WriteAsync(value, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    /// <summary>What the last step needs to know about the batch.</summary>
    public sealed record Finish(string AgentId, string OutboxEpoch, TelemetryBatch Batch, long Now, ulong? GapFrom, ulong? GapTo, bool MayFillGap);
}
