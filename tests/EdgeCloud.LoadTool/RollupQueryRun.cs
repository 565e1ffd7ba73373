using System.Diagnostics;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EdgeCloud.LoadTool;

/// <summary>
/// Rollup query latency over the rollups of a large fleet history: 100 agents x 10 tags at 1 point per second,
/// as many seconds as make the requested number of points. The rollup tables are filled by SQL with the rows
/// that history produces (1-minute and 1-hour buckets), not by replaying every point through ingest, which
/// would take hours here; rollup queries read only those tables, so the raw table is left empty.
/// </summary>
internal static class RollupQueryRun
{
    private const int Agents = 100;
    private const int Tags = 10;
    private const long Start = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z
    private const long MinuteNs = 60_000_000_000;
    private const long HourNs = 60 * MinuteNs;

    public static async Task RunAsync(long points, string? postgresAdmin)
    {
        var seconds = points / (Agents * Tags);
        var (minutes, hours) = (seconds / 60, (seconds + 3599) / 3600);
        var backend = postgresAdmin is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"rollups of {points:N0} points ({Agents} agents x {Tags} tags x {seconds:N0} s at 1 Hz) in {backend}: " +
            $"{(long)Agents * Tags * minutes:N0} 1-minute rows, {(long)Agents * Tags * hours:N0} 1-hour rows");

        await using var run = await HubRun.StartAsync(postgresAdmin, start: false);
        var store = run.Hub.Services.GetRequiredService<ITelemetryStore>();
        var watch = Stopwatch.StartNew();
        if (postgresAdmin is null)
        {
            FillSqlite(((Hub.Storage.Sqlite.SqliteTelemetryStore)store).DatabasePath, minutes, hours);
        }
        else
        {
            await FillPostgresAsync(run.Hub.Services.GetRequiredService<IConfiguration>()["Storage:ConnectionString"]!, minutes, hours);
        }

        Console.WriteLine($"fill: {watch.Elapsed.TotalSeconds:F1} s");
        var rollups = (ITelemetryRollups)store;
        var agents = Enumerable.Range(0, Agents).Select(a => $"agent-{a}").ToArray();
        var mid = Start + HourNs; // leaves at least 24 h of data after it for 100M points
        await MeasureAsync("one tag, 1m buckets over 24 h (1440 rows)", () => rollups.QueryRollupsAsync("agent-42", "plc/t7", RollupResolution.OneMinute, mid, mid + (24 * HourNs), 10_000).AsTask());
        await MeasureAsync($"one tag, 1h buckets over the whole range ({hours} rows)", () => rollups.QueryRollupsAsync("agent-42", "plc/t7", RollupResolution.OneHour, Start, long.MaxValue, 10_000).AsTask());
        await MeasureAsync("fleet of 100 agents, 1h buckets over 24 h (2400 rows)", () => rollups.QueryFleetRollupsAsync(agents, "plc/t7", RollupResolution.OneHour, mid, mid + (24 * HourNs), 100_000).AsTask());
        await MeasureAsync("fleet of 100 agents, 1m buckets over 1 h (6000 rows)", () => rollups.QueryFleetRollupsAsync(agents, "plc/t7", RollupResolution.OneMinute, mid, mid + HourNs, 100_000).AsTask());
    }

    private static async Task MeasureAsync<T>(string what, Func<Task<IReadOnlyList<T>>> query)
    {
        var rows = 0;
        for (var i = 0; i < 3; i++)
        {
            rows = (await query()).Count;
        }

        var samples = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Console.WriteLine($"query: {what}: median {samples[15]:F2} ms, p95 {samples[28]:F2} ms ({rows} rows)");
    }

    private static void FillSqlite(string path, long minutes, long hours)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=60");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = $"""
            WITH RECURSIVE a(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM a WHERE x < {Agents - 1}),
                 t(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM t WHERE x < {Tags - 1})
            INSERT INTO series SELECT 'agent-' || a.x, 'plc/t' || t.x FROM a, t;
            {SqliteRollups("rollup_1m", minutes, MinuteNs, 60)}
            {SqliteRollups("rollup_1h", hours, HourNs, 3600)}
            """;
        command.ExecuteNonQuery();
    }

    // Rows inserted in key order (agent, tag, bucket), as a WITHOUT ROWID table is laid out.
    private static string SqliteRollups(string table, long buckets, long width, int count) => $"""
        WITH RECURSIVE a(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM a WHERE x < {Agents - 1}),
             t(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM t WHERE x < {Tags - 1}),
             b(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM b WHERE x < {buckets - 1})
        INSERT INTO {table} SELECT 'agent-' || a.x, 'plc/t' || t.x, {Start} + (b.x * {width}), {count}, b.x % 97, (b.x % 97) + 10, {count} * ((b.x % 97) + 5), b.x % 89,
               {Start} + (b.x * {width}) + {width - 1_000_000_000}
        FROM a, t, b ORDER BY 1, 2, 3;
        """;

    private static async Task FillPostgresAsync(string connectionString, long minutes, long hours)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO series SELECT 'agent-' || a, 'plc/t' || t FROM generate_series(0, {Agents - 1}) a, generate_series(0, {Tags - 1}) t;
            {PostgresRollups("rollup_1m", minutes, MinuteNs, 60)}
            {PostgresRollups("rollup_1h", hours, HourNs, 3600)}
            """,
            connection)
        { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();

        // Fresh statistics and visibility map, as autovacuum would have made them on a long-lived table.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync();
    }

    private static string PostgresRollups(string table, long buckets, long width, int count) => $"""
        INSERT INTO {table} SELECT 'agent-' || a, 'plc/t' || t, {Start} + (b * {width}), {count}, b % 97, (b % 97) + 10, {count} * ((b % 97) + 5), b % 89,
               {Start} + (b * {width}) + {width - 1_000_000_000}
        FROM generate_series(0, {Agents - 1}) a, generate_series(0, {Tags - 1}) t, generate_series(0, {buckets - 1}) b;
        """;
}
