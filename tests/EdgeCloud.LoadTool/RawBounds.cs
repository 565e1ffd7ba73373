using System.Diagnostics;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace EdgeCloud.LoadTool;

/// <summary>
/// What each database allows for the same rows with nothing of the hub in the way, measured in the same run
/// as the hub: a bare table (agent, tag, ts, num, quality), no index, no dedupe, one transaction per batch.
/// </summary>
internal static class RawBounds
{
    /// <summary>SQLite: one prepared INSERT per row, WAL + synchronous=FULL as the hub uses; one writer, as SQLite allows.</summary>
    public static double SqliteInsertLoop(string folder, int agents, int batches, int points)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE p (agent TEXT, tag TEXT, ts INTEGER, num REAL, quality INTEGER);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO p VALUES ($a, $t, $ts, $n, $q)";
        var parameters = new[] { "$a", "$t", "$ts", "$n", "$q" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();
        var watch = Stopwatch.StartNew();
        for (var b = 1; b <= batches; b++)
        {
            for (var a = 0; a < agents; a++)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                foreach (var point in FleetLoad.MakeBatch($"agent-{a}", (ulong)b, points, a).Points)
                {
                    (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value, parameters[4].Value) =
                        ($"agent-{a}", point.Tag, (long)point.TimeUnixNano, point.Number, (int)point.Quality);
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }

        return (double)agents * batches * points / watch.Elapsed.TotalSeconds;
    }

    /// <summary>PostgreSQL: binary COPY of each batch in its own transaction, one connection per agent in parallel (as the hub's streams).</summary>
    public static async Task<double> PostgresCopyAsync(string connectionString, int agents, int batches, int points)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE raw_bound (agent text, tag text, ts bigint, num double precision, quality smallint)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, agents).Select(async a =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            for (var b = 1; b <= batches; b++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await CopyAsync(connection, $"agent-{a}", FleetLoad.MakeBatch($"agent-{a}", (ulong)b, points, a));
                await transaction.CommitAsync();
            }
        }));
        return (double)agents * batches * points / watch.Elapsed.TotalSeconds;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string agent, TelemetryBatch batch)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY raw_bound (agent, tag, ts, num, quality) FROM STDIN (FORMAT BINARY)");
        foreach (var point in batch.Points)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(agent, NpgsqlDbType.Text);
            await writer.WriteAsync(point.Tag, NpgsqlDbType.Text);
            await writer.WriteAsync((long)point.TimeUnixNano, NpgsqlDbType.Bigint);
            await writer.WriteAsync(point.Number, NpgsqlDbType.Double);
            await writer.WriteAsync((short)point.Quality, NpgsqlDbType.Smallint);
        }

        await writer.CompleteAsync();
    }
}
