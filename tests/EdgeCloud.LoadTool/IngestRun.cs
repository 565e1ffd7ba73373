using System.Diagnostics;
using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.LoadTool;

/// <summary>
/// Fleet ingest over the real path (agents' gRPC streams into a Kestrel hub, stored and acknowledged) beside,
/// in the same run, the hub's store called directly and the database's raw bound for the same rows.
/// </summary>
internal static class IngestRun
{
    public static async Task RunAsync(int agents, int batches, int points, string? postgresAdmin)
    {
        var total = (long)agents * batches * points;
        var backend = postgresAdmin is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"load: {agents} agents x {batches} batches x {points} points = {total:N0} points into {backend}");
        var wire = new AgentMessage { Telemetry = FleetLoad.MakeBatch("agent-0", 1, points, 0) }.CalculateSize();
        Console.WriteLine($"wire: {wire:N0} bytes per {points}-point batch = {(double)wire / points:F1} bytes/point (protobuf, uncompressed)");

        // 1. The database's raw bound for the same rows.
        double raw;
        if (postgresAdmin is null)
        {
            var rawDir = Directory.CreateTempSubdirectory("load-raw-").FullName;
            raw = RawBounds.SqliteInsertLoop(rawDir, agents, batches, points);
            Directory.Delete(rawDir, recursive: true);
            Console.WriteLine($"raw bound: SQLite prepared INSERT loop, bare table, 1 commit per batch: {raw:N0} points/s");
        }
        else
        {
            await using var scratch = await ScratchDatabase.CreateAsync(postgresAdmin, "load_raw");
            raw = await RawBounds.PostgresCopyAsync(scratch.ConnectionString, agents, batches, points);
            Console.WriteLine($"raw bound: PostgreSQL binary COPY, bare table, 1 commit per batch, {agents} connections: {raw:N0} points/s");
        }

        // 2. The hub's store called directly (no network, no gRPC).
        await using (var run = await HubRun.StartAsync(postgresAdmin, start: false))
        {
            var store = run.Hub.Services.GetRequiredService<ITelemetryStore>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, agents).Select(a => Task.Run(async () =>
            {
                for (var b = 1; b <= batches; b++)
                {
                    await store.IngestAsync($"agent-{a}", FleetLoad.MakeBatch($"agent-{a}", (ulong)b, points, a), DateTimeOffset.UnixEpoch);
                }
            })));
            var direct = total / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"store: hub IngestAsync directly (dedupe, points, series, rollups, counters): {direct:N0} points/s ({watch.Elapsed.TotalSeconds:F2} s), {direct / raw:F2}x raw");
        }

        // 3. The real path.
        await using (var run = await HubRun.StartAsync(postgresAdmin, start: true))
        {
            var sync = run.Hub.Services.GetRequiredService<HubEndpoints>().Sync;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, agents).Select(a => FleetLoad.StreamAsync(sync, $"agent-{a}", batches, points, a, window: 32)));
            var rate = total / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"fleet: {agents} gRPC streams -> hub -> {backend}, acked: {rate:N0} points/s ({watch.Elapsed.TotalSeconds:F2} s), {rate / raw:F2}x the raw bound");
        }
    }
}
