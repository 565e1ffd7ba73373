using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeCloud.LoadTool;

/// <summary>
/// The agent's own cost at a gateway's rate (issue 9's benchmark). Every part is a real process on loopback: a hub
/// (<see cref="HubProcess"/>), one <c>edge-agent simulate modbus</c> per device, and <c>edge-agent run</c> from the
/// agent's Release build or, with <c>--published</c>, as the .deb ships and starts it (<see cref="AgentBuild"/>), polling each simulator's 100 holding registers (one read request per poll) at the interval
/// that gives the asked rate, through its pipeline, outbox and sync stream into the hub's SQLite (or, with <c>--in-memory-hub</c>, the hub's in-memory store). Only the agent
/// process is measured (/proc/[pid]/stat, /status, /smaps_rollup, and /smaps at the end: <see cref="MemoryMap"/>); the hub's stored point count over the same window says what
/// was really delivered. Then the same agent without devices for its idle memory, the .deb size if one was built,
/// and the time from process start to the polling log line and to the first point stored at the hub.
/// </summary>
internal static class GatewayRun
{
    private const int TagsPerDevice = 100;
    private const int MinPollIntervalMs = 10;
    private const int IdleSettleSeconds = 15;

    /// <summary>The System.Runtime meter's series printed after a run, as the agent's /metrics names them.</summary>
    private static readonly string[] RuntimeMeters = ["dotnet_gc_last_collection", "dotnet_jit_compiled", "dotnet_thread_pool_thread_count", "dotnet_gc_collections_total"];

    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <remarks>With <c>inMemoryHub</c> the hub stores into its in-memory store instead of SQLite, so that it keeps up with the
    /// agent and the agent's figures are those of a steady state (the hub's SQLite store lags far behind 100k points/s).</remarks>
    /// <remarks>With <c>published</c> the agent is the shipped form (<see cref="AgentBuild.PublishedAsync"/>), from
    /// <c>publishDir</c> if given.</remarks>
    public static async Task RunAsync(int devices, int pointsPerSecond, int seconds, int warmUpSeconds, int? batchPoints, bool inMemoryHub, bool published, string? publishDir)
    {
        var root = RepoRoot();
        var agent = published ? await AgentBuild.PublishedAsync(root, publishDir) : AgentBuild.Built(root);
        var agentPath = agent.Binary;

        var interval = Math.Max(MinPollIntervalMs, (int)Math.Round(devices * TagsPerDevice * 1000.0 / pointsPerSecond));
        var nominal = devices * TagsPerDevice * 1000.0 / interval;
        Console.WriteLine($"gateway: {devices} Modbus TCP devices × {TagsPerDevice} uint16 holding registers every {interval} ms = {nominal:N0} points/s nominal, outbox batches of {batchPoints?.ToString(CultureInfo.InvariantCulture) ?? "default"} points; hub store {(inMemoryHub ? "in memory" : "SQLite")}; agent {agent.Description}");
        Console.WriteLine($"load average before: {LoadAverage()}");

        var simulators = new List<Process>();
        var scratch = Directory.CreateTempSubdirectory("load-gateway-").FullName;
        try
        {
            using var hub = await HubProcess.StartAsync("gateway-hub", inMemoryHub);
            var ports = new List<int>();
            for (var i = 0; i < devices; i++)
            {
                var port = HubProcess.FreePort();
                simulators.Add(Processes.Start(new ProcessStartInfo(agentPath) { ArgumentList = { "simulate", "modbus", "--port", port.ToString(CultureInfo.InvariantCulture) } }));
                ports.Add(port);
            }

            foreach (var port in ports)
            {
                await WaitListeningAsync(port);
            }

            var busy = await MeasureBusyAsync(agent, Path.Combine(scratch, "busy"), hub, ports, interval, seconds, warmUpSeconds, batchPoints);
            var idle = await MeasureIdleAsync(agent, Path.Combine(scratch, "idle"), hub, ports[0]);
            var deb = Directory.Exists(Path.Combine(root, "artifacts/packages"))
                ? Directory.GetFiles(Path.Combine(root, "artifacts/packages"), "edge-agent_*_amd64.deb").Select(f => new FileInfo(f)).FirstOrDefault()
                : null;

            Console.WriteLine();
            Console.WriteLine($"| measured (agent process only) | figure | goal |");
            Console.WriteLine($"| --- | --- | --- |");
            Console.WriteLine($"| rate stored at the hub over {seconds} s (bound: {nominal:N0} polled/s nominal) | {busy.StoredRate:N0} points/s (agent published {busy.PublishedRate:N0}/s; outbox backlog {busy.BacklogBefore:N0} → {busy.BacklogAfter:N0} points) | {nominal:N0} (issue 9: 100,000) |");
            Console.WriteLine($"| agent CPU, share of one core | {busy.CpuShare:P1} (hub process beside it: {busy.HubCpuShare:P1}) | ≤ 10% |");
            Console.WriteLine($"| agent RSS under load: mean / max / peak (VmHWM) | {Processes.Mib(busy.MeanRss)} / {Processes.Mib(busy.MaxRss)} / {Processes.Mib(busy.PeakRss)} | ≤ 100 MiB |");
            Console.WriteLine($"| of which, means over the window: anonymous / file-backed (its proportional share, Pss_File) / shared memory; threads at the end | {Processes.Mib(busy.Mean.Anonymous)} / {Processes.Mib(busy.Mean.File)} ({Processes.Mib(busy.Mean.PssFile)}) / {Processes.Mib(busy.Mean.Shmem)}; {busy.Threads} | |");
            Console.WriteLine($"| agent managed allocations; GCs (all generations); GC heap after the last GC (the runtime's own meter) | {Processes.Mib((long)busy.AllocatedPerSecond)}/s ({busy.AllocatedPerSecond / Math.Max(1, busy.PublishedRate):N0} bytes per point); {busy.CollectionsPerSecond:N1}/s; {Processes.Mib(busy.HeapAfterGc)} | |");
            Console.WriteLine($"| agent RSS idle (1 device, 1 tag every 10 s, hub connected, {IdleSettleSeconds} s after /healthz): all / anonymous / file-backed (Pss_File) / shared memory | {Processes.Mib(idle.Memory.Rss)} / {Processes.Mib(idle.Memory.Anonymous)} / {Processes.Mib(idle.Memory.File)} ({Processes.Mib(idle.Memory.PssFile)}) / {Processes.Mib(idle.Memory.Shmem)} | |");
            Console.WriteLine($"| start to \"Polling N Modbus devices\" / to the first point stored at the hub | {busy.ToPollingLog.TotalSeconds:F2} s / {busy.ToFirstStored.TotalSeconds:F2} s | |");
            Console.WriteLine($"| start to /healthz 200, idle agent | {idle.ToHealthy.TotalSeconds:F2} s | |");
            Console.WriteLine(deb is null
                ? "| .deb size | no artifacts/packages/edge-agent_*_amd64.deb: build with `dotnet msbuild packaging/EdgeCloud.Packaging.proj -t:Package` | |"
                : $"| .deb size ({deb.Name}) | {deb.Length / 1048576.0:F1} MiB ({deb.Length:N0} bytes) | |");
            Console.WriteLine($"| poll errors during the window | {busy.PollErrors:N0} of {busy.Polls:N0} polls | |");
            Console.WriteLine();
            Console.WriteLine("Where the loaded agent's resident memory was at the end of the window (/proc/PID/smaps, by the shape of each mapping):");
            foreach (var (holder, bytes) in busy.Holders)
            {
                Console.WriteLine($"  {Processes.Mib(bytes),10}  {holder}");
            }

            Console.WriteLine();
            Console.WriteLine("The runtime's own meters at the end of the window (GC heap by generation after the last GC, JIT, threads):");
            foreach (var line in busy.RuntimeMeters)
            {
                Console.WriteLine($"  {line}");
            }

            Console.WriteLine();
            Console.WriteLine($"load average after: {LoadAverage()}");
        }
        finally
        {
            foreach (var simulator in simulators)
            {
                Processes.Stop(simulator);
            }

            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<Busy> MeasureBusyAsync(AgentBuild build, string folder, HubProcess hub, List<int> ports, int interval, int seconds, int warmUpSeconds, int? batchPoints)
    {
        var devices = ports.Select((port, d) => new
        {
            name = $"plc{d:D2}",
            protocol = "modbus-tcp",
            host = "127.0.0.1",
            port,
            unitId = 1,
            pollIntervalMs = interval,
            timeoutMs = 1000,
            tags = Enumerable.Range(0, TagsPerDevice).Select(a => new { name = $"r{a:D3}", area = "holding", address = a, type = "uint16" }),
        });
        var (config, status) = WriteConfig(folder, "gwbench", hub, devices, batchPoints);
        var polling = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new LastLines();
        var clock = Stopwatch.StartNew();
        using var agent = Processes.Start(
            build.StartInfo(folder, "run", "--config", config),
            line =>
            {
                output.Add(line);
                if (line.Contains("Polling ", StringComparison.Ordinal) && line.Contains(" Modbus devices", StringComparison.Ordinal))
                {
                    polling.TrySetResult(clock.Elapsed);
                }
            });
        try
        {
            // First stored point: the hub's ingest counter, watched from process start.
            TimeSpan firstStored;
            while (true)
            {
                if (agent.HasExited)
                {
                    throw new InvalidOperationException($"the agent exited with code {agent.ExitCode}: {output}");
                }

                if (HubProcess.Sum(await hub.MetricsAsync(), "edgecloud_hub_ingest_points_total") > 0)
                {
                    firstStored = clock.Elapsed;
                    break;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException("no point reached the hub within 120 s of the agent's start");
                }

                await Task.Delay(50);
            }

            var toPolling = await polling.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"agent pid {agent.Id}: polling log after {toPolling.TotalSeconds:F2} s, first stored point after {firstStored.TotalSeconds:F2} s; warming up {warmUpSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds));

            using var agentApi = new HttpClient { BaseAddress = new Uri($"http://{status}"), Timeout = TimeSpan.FromSeconds(10) };
            var agentBefore = await agentApi.GetStringAsync("/metrics");
            var hubBefore = await hub.MetricsAsync();
            var cpuBefore = Processes.CpuTime(agent);
            var hubCpuBefore = Processes.CpuTime(hub.Process);
            var window = Stopwatch.StartNew();
            var samples = new List<MemoryMap.Resident>();
            while (window.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                samples.Add(MemoryMap.Sample(agent.Id));
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var cpu = Processes.CpuTime(agent) - cpuBefore;
            var hubCpu = Processes.CpuTime(hub.Process) - hubCpuBefore;
            var elapsed = window.Elapsed.TotalSeconds;
            var hubAfter = await hub.MetricsAsync();
            var agentAfter = await agentApi.GetStringAsync("/metrics");
            var (_, peak, _) = Processes.Memory(agent);
            var holders = MemoryMap.Breakdown(agent.Id);
            var mean = new MemoryMap.Resident(
                (long)samples.Average(m => m.Rss), (long)samples.Average(m => m.Anonymous), (long)samples.Average(m => m.File),
                (long)samples.Average(m => m.Shmem), (long)samples.Average(m => m.PssFile), samples[^1].Threads);
            return new Busy(
                StoredRate: Delta(hubBefore, hubAfter, "edgecloud_hub_ingest_points_total") / elapsed,
                PublishedRate: Delta(agentBefore, agentAfter, "edge_pipeline_points_published_total") / elapsed,
                BacklogBefore: (long)HubProcess.Sum(agentBefore, "edge_outbox_points"),
                BacklogAfter: (long)HubProcess.Sum(agentAfter, "edge_outbox_points"),
                Polls: (long)Delta(agentBefore, agentAfter, "edge_modbus_polls_total"),
                PollErrors: (long)Delta(agentBefore, agentAfter, "edge_modbus_poll_errors_total"),
                AllocatedPerSecond: Delta(agentBefore, agentAfter, "dotnet_gc_heap_total_allocated_bytes_total") / elapsed,
                CollectionsPerSecond: Delta(agentBefore, agentAfter, "dotnet_gc_collections_total") / elapsed,
                HeapAfterGc: (long)HubProcess.Sum(agentAfter, "dotnet_gc_last_collection_heap_size_bytes"),
                CpuShare: cpu.TotalSeconds / elapsed,
                HubCpuShare: hubCpu.TotalSeconds / elapsed,
                MeanRss: mean.Rss,
                MaxRss: samples.Max(m => m.Rss),
                PeakRss: peak,
                Mean: mean,
                Threads: samples[^1].Threads,
                Holders: holders,
                RuntimeMeters: [.. agentAfter.Split('\n').Where(l => RuntimeMeters.Any(m => l.StartsWith(m, StringComparison.Ordinal)))],
                ToPollingLog: toPolling,
                ToFirstStored: firstStored);
        }
        finally
        {
            Processes.Stop(agent);
        }
    }

    /// <summary>
    /// The agent at rest. A config needs at least one device, so "idle" is one device with one tag read every
    /// 10 s: the memory of the runtime, the hosted services, the outbox and the hub link, not of a workload.
    /// </summary>
    private static async Task<Idle> MeasureIdleAsync(AgentBuild build, string folder, HubProcess hub, int port)
    {
        object[] devices =
        [
            new
            {
                name = "plc00", protocol = "modbus-tcp", host = "127.0.0.1", port, unitId = 1, pollIntervalMs = 10_000,
                tags = new[] { new { name = "r000", area = "holding", address = 0, type = "uint16" } },
            },
        ];
        var (config, status) = WriteConfig(folder, "gwbench-idle", hub, devices, batchPoints: null);
        var output = new LastLines();
        var clock = Stopwatch.StartNew();
        using var agent = Processes.Start(build.StartInfo(folder, "run", "--config", config), output.Add);
        try
        {
            using var agentApi = new HttpClient { BaseAddress = new Uri($"http://{status}"), Timeout = TimeSpan.FromSeconds(5) };
            TimeSpan healthy;
            while (true)
            {
                if (agent.HasExited)
                {
                    throw new InvalidOperationException($"the idle agent exited with code {agent.ExitCode}: {output}");
                }

                try
                {
                    if ((await agentApi.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                    {
                        healthy = clock.Elapsed;
                        break;
                    }
                }
                catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                }

                await Task.Delay(50);
            }

            await Task.Delay(TimeSpan.FromSeconds(IdleSettleSeconds));
            return new Idle(MemoryMap.Sample(agent.Id), healthy);
        }
        finally
        {
            Processes.Stop(agent);
        }
    }

    /// <summary>Writes agent.json (hub over cleartext, status endpoint on a free loopback port); returns its path and that endpoint.</summary>
    /// <remarks><paramref name="batchPoints"/> sets outbox.maxBatchPoints; null keeps the agent's default (1000).</remarks>
    private static (string Path, string Status) WriteConfig(string folder, string agentId, HubProcess hub, object devices, int? batchPoints)
    {
        Directory.CreateDirectory(folder);
        var status = $"127.0.0.1:{HubProcess.FreePort()}";
        var path = Path.Combine(folder, "agent.json");
        var config = new
        {
            agentId,
            dataDirectory = Path.Combine(folder, "data"),
            hub = new { url = hub.SyncUri.GetLeftPart(UriPartial.Authority) },
            status = new { listen = status },
            outbox = batchPoints is { } points ? new { maxBatchPoints = points } : null,
            devices,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(config, OmitNulls));
        return (path, status);
    }

    private static double Delta(string before, string after, string metric) => HubProcess.Sum(after, metric) - HubProcess.Sum(before, metric);

    private static async Task WaitListeningAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCloud.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private sealed record Busy(
        double StoredRate, double PublishedRate, long BacklogBefore, long BacklogAfter, long Polls, long PollErrors,
        double AllocatedPerSecond, double CollectionsPerSecond, long HeapAfterGc,
        double CpuShare, double HubCpuShare, long MeanRss, long MaxRss, long PeakRss, MemoryMap.Resident Mean, int Threads,
        List<(string Holder, long Bytes)> Holders, List<string> RuntimeMeters, TimeSpan ToPollingLog, TimeSpan ToFirstStored);

    /// <summary>The last lines a child wrote, to say why it exited.</summary>
    private sealed class LastLines
    {
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > 10)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    private sealed record Idle(MemoryMap.Resident Memory, TimeSpan ToHealthy);
}
