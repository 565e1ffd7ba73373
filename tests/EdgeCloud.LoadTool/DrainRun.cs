using System.Diagnostics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.LoadTool;

/// <summary>
/// A backlog drain: the real agent components (outbox, batcher, sync client, live lane) in process, an
/// outbox holding <c>backlogSeconds</c> of data at <c>pointsPerSecond</c> (as after an outage of that
/// length), then the link comes back to a real Kestrel hub on SQLite while live data keeps flowing at the
/// same rate. Reports the drain time as a multiple of real time, the live lane's latency at the hub during
/// the drain, and, as the bound of the same run, the hub's store ingesting the same batches directly.
/// </summary>
internal static class DrainRun
{
    private const int BatchPoints = 1000;
    private const string AgentId = "drain-0";

    /// <summary>The agent's send window (batches in flight), as configured below.</summary>
    private const int Window = 32;

    /// <param name="pointsPerSecond">Rate of the data, offline and live.</param>
    /// <param name="backlogSeconds">Length of the outage.</param>
    /// <param name="tags">Tags the points are spread over.</param>
    /// <param name="maxDrainSeconds">Stop the drain after this long and report the rate of what was drained (null: drain it all).</param>
    public static async Task RunAsync(int pointsPerSecond, int backlogSeconds, int tags, int? maxDrainSeconds)
    {
        var backlog = (long)pointsPerSecond * backlogSeconds;
        var batches = (int)(backlog / BatchPoints);
        Console.WriteLine($"drain: {backlogSeconds} s offline at {pointsPerSecond:N0} points/s = {backlog:N0} points ({batches:N0} batches of {BatchPoints}), {tags} tags; live data at the same rate during the drain; load average {LoadAverage()}");

        // 1. The bound: the hub's store ingesting batches of the same shape directly (no network), one
        //    at a time (one commit each) and then a window at a time (calls made in order without waiting,
        //    as the pipelined sync stream makes them, so they share group commits).
        var sample = Math.Min(batches, 600);
        var serial = await MeasureStoreAsync(sample / 2, 1, tags, pointsPerSecond);
        Console.WriteLine($"bound: hub store IngestAsync directly, {sample / 2} batches one at a time: {serial:N0} points/s = {serial / pointsPerSecond:F1}x real time at this rate");
        var bound = await MeasureStoreAsync(sample, Window, tags, pointsPerSecond);
        Console.WriteLine($"bound: hub store IngestAsync directly, {sample} batches {Window} at a time: {bound:N0} points/s = {bound / pointsPerSecond:F1}x real time at this rate");

        var folder = Directory.CreateTempSubdirectory("load-drain-").FullName;
        try
        {
            await using var hub = await HubRun.StartAsync(null, start: true);
            var syncUrl = hub.Hub.Services.GetRequiredService<HubEndpoints>().Sync;
            using var agent = CreateAgent(folder, syncUrl, (long)backlog * 80);

            // 2. The outage's backlog, made durable before the agent starts (sealed over the past hour).
            var outbox = agent.Services.GetRequiredService<IOutbox>();
            var offlineSince = TimeProvider.System.GetUtcNow().AddSeconds(-backlogSeconds);
            var fill = Stopwatch.StartNew();
            for (var b = 0; b < batches; b += 16)
            {
                await Task.WhenAll(Enumerable.Range(b, Math.Min(16, batches - b)).Select(i =>
                    outbox.AppendAsync(new OutboxBatch(OutboxBatchKind.Telemetry, BatchPoints, 0, Encode(offlineSince, i, tags, pointsPerSecond)), CancellationToken.None).AsTask()));
            }

            var lastBacklog = outbox.LastDurableSequence;
            Console.WriteLine($"backlog: {batches:N0} batches made durable in {fill.Elapsed.TotalSeconds:F1} s ({backlog / fill.Elapsed.TotalSeconds:N0} points/s), outbox {outbox.GetStats().StoreBytes / 1048576.0:F0} MiB + journal {outbox.GetStats().JournalBytes / 1048576.0:F0} MiB");

            // 3. The link comes back; live points keep coming at the same rate.
            var latest = hub.Hub.Services.GetRequiredService<LatestValues>();
            var hubStore = hub.Hub.Services.GetRequiredService<ITelemetryStore>();
            using var stop = new CancellationTokenSource();
            var drain = Stopwatch.StartNew();
            await agent.StartAsync();
            var feeding = FeedAsync(agent.Services.GetRequiredService<IPointSink>(), tags, pointsPerSecond, stop.Token);
            var latencies = new List<double>();
            var probe = ProbeLiveAsync(latest, latencies, stop.Token);
            var cap = maxDrainSeconds is { } limit ? TimeSpan.FromSeconds(limit) : TimeSpan.MaxValue;
            ulong stored;
            while ((stored = await hubStore.GetHighestSequenceAsync(AgentId)) < lastBacklog && drain.Elapsed < cap)
            {
                await Task.Delay(200);
            }

            var seconds = drain.Elapsed.TotalSeconds;
            var acknowledged = Math.Min(stored, lastBacklog);
            await stop.CancelAsync();
            await Task.WhenAll(feeding, probe);

            // The hub stores in sequence order, so its highest sequence is how far the backlog got.
            var drainedPoints = (double)acknowledged * BatchPoints;
            var rate = drainedPoints / seconds;
            var realTime = drainedPoints / pointsPerSecond;
            var what = acknowledged >= lastBacklog ? "drained" : $"drained {acknowledged:N0} of {lastBacklog:N0} batches (stopped after {seconds:F0} s)";
            Console.WriteLine($"{what}: {seconds:F1} s for {realTime:F0} s of data = {realTime / seconds:F1}x real time; backlog {rate:N0} points/s besides live data = {rate / bound:F2}x the bound ({rate / serial:F2}x one at a time); load average {LoadAverage()}");
            latencies.Sort();
            Console.WriteLine(latencies.Count == 0
                ? "live lane: no live value reached the hub during the drain"
                : $"live lane during the drain ({latencies.Count} updates of the probe tag at the hub): p50 {Percentile(latencies, 0.5):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms (snapshots are sent once a second)");
            await agent.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Points/s of the hub's store taking <paramref name="count"/> batches with <paramref name="window"/> calls in flight, on a fresh database.</summary>
    private static async Task<double> MeasureStoreAsync(int count, int window, int tags, int pointsPerSecond)
    {
        await using var run = await HubRun.StartAsync(null, start: false);
        var store = run.Hub.Services.GetRequiredService<ITelemetryStore>();
        var start = TimeProvider.System.GetUtcNow().AddDays(-1);
        var encoded = Enumerable.Range(0, count).Select(i => Encode(start, i, tags, pointsPerSecond)).ToArray();
        var inFlight = new Queue<Task>();
        var watch = Stopwatch.StartNew();
        for (var b = 1; b <= count; b++)
        {
            if (inFlight.Count == window)
            {
                await inFlight.Dequeue();
            }

            var batch = TelemetryBatch.Parser.ParseFrom(encoded[b - 1]);
            batch.Sequence = (ulong)b;
            inFlight.Enqueue(store.IngestAsync("bound-0", batch, TimeProvider.System.GetUtcNow()).AsTask());
        }

        await Task.WhenAll(inFlight);
        return (double)count * BatchPoints / watch.Elapsed.TotalSeconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static IHost CreateAgent(string folder, Uri hub, long maxBytes)
    {
        var config = new AgentConfig(
            AgentId,
            folder,
            new HubLinkConfig(hub, Window, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5)),
            new OutboxConfig(BatchPoints, TimeSpan.FromSeconds(1), Math.Max(maxBytes, 1L << 30)),
            new SiteConfig([]),
            "drain");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Site);
        builder.AddOutbox();
        builder.AddHubSync();
        builder.AddLiveLane();
        return builder.Build();
    }

    /// <summary>Batch <paramref name="index"/> of the backlog: <paramref name="tags"/> tags sampled in turn at the given rate.</summary>
    private static byte[] Encode(DateTimeOffset from, int index, int tags, int pointsPerSecond)
    {
        var batch = new TelemetryBatch { SealedUnixNano = (ulong)from.ToUnixTimeMilliseconds() * 1_000_000UL };
        var first = (long)index * BatchPoints;
        var start = from.ToUnixTimeMilliseconds() * 1_000_000L;
        for (var i = 0; i < BatchPoints; i++)
        {
            var n = first + i;
            batch.Points.Add(new Point { Tag = $"plc/t{n % tags}", TimeUnixNano = (ulong)(start + (n * 1_000_000_000L / pointsPerSecond)), Number = n % 1000 });
        }

        return batch.ToByteArray();
    }

    /// <summary>Live points at <paramref name="pointsPerSecond"/>, published every 10 ms, stamped now.</summary>
    private static async Task FeedAsync(IPointSink sink, int tags, int pointsPerSecond, CancellationToken cancellationToken)
    {
        var perTick = Math.Max(1, pointsPerSecond / 100);
        var points = new DataPoint[perTick];
        long n = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = TimeProvider.System.GetUtcNow();
                for (var i = 0; i < perTick; i++, n++)
                {
                    points[i] = new DataPoint("live", $"t{n % tags}", now, TagValue.FromNumber(n), PointQuality.Good);
                }

                await sink.PublishAsync(points, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How old the probe tag's newest value is when a newer one reaches the hub (live lane or storage).</summary>
    private static async Task ProbeLiveAsync(LatestValues latest, List<double> latencies, CancellationToken cancellationToken)
    {
        ulong seen = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var value = latest.Get(AgentId).FirstOrDefault(v => v.Point.Tag == "live/t0");
                if (value is not null && value.Point.TimeUnixNano > seen)
                {
                    seen = value.Point.TimeUnixNano;
                    var nowNanos = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000.0;
                    latencies.Add((nowNanos - seen) / 1_000_000.0);
                }

                await Task.Delay(5, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
}
