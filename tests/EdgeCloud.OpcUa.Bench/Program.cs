// OPC UA benchmark, run with one command:
//   dotnet run -c Release --project tests/EdgeCloud.OpcUa.Bench -- [--items 10000] [--seconds 10] [--sampling 250]
// It starts the node-opcua test peer with N bulk variables that all change every sampling
// interval, then measures, first for our client and then for node-opcua's own client
// (peer/bench-client.js) against the same server: the time to create N monitored items
// (CreateSubscription + CreateMonitoredItems in batches of 1000) and the data-change
// notifications handled per second of client CPU time ("per core"). Not a test: it asserts nothing.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Subscriptions;
using EdgeCloud.Edge.OpcUa.Types;
using Microsoft.Extensions.Logging.Abstractions;

var items = Option("--items", 10_000);
var seconds = Option("--seconds", 10);
var sampling = Option("--sampling", 250);
var peer = FindPeer();
var port = FreePort();
var pki = Directory.CreateTempSubdirectory("edgecloud-opcua-bench-").FullName;
var server = Start("node", peer, Path.Combine(peer, "server.js"), "--port", port.ToString(CultureInfo.InvariantCulture), "--pki", pki,
    "--bulk", items.ToString(CultureInfo.InvariantCulture), "--period", sampling.ToString(CultureInfo.InvariantCulture));
await WaitReadyAsync(server);

// The server's own output is drained so a full pipe never blocks it; awaited after it is stopped.
var drain = Task.WhenAll(server.StandardOutput.BaseStream.CopyToAsync(Stream.Null), server.StandardError.BaseStream.CopyToAsync(Stream.Null));
try
{
    var endpoint = $"opc.tcp://localhost:{port}/UA/EdgeCloudTest";
    Console.WriteLine($"node-opcua server with {items} variables changing every {sampling} ms; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    // Two rounds, alternating, so neither client always meets a cold (or a tired) server.
    var results = new List<(string Name, Result Result)>();
    for (var round = 0; round < Option("--rounds", 2); round++)
    {
        results.Add(("EdgeCloud (C#)", await MeasureOursAsync(endpoint)));
        results.Add(("node-opcua client", await MeasureNodeOpcuaAsync(endpoint)));
    }

    Console.WriteLine();
    Console.WriteLine("| client | create 10,000 items | notifications/s | client CPU s | notifications per CPU-second |".Replace("10,000", items.ToString("N0", CultureInfo.InvariantCulture), StringComparison.Ordinal));
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (name, result) in results)
    {
        Print(name, result);
    }
}
finally
{
    server.Kill();
    await server.WaitForExitAsync();
    await drain;
    Directory.Delete(pki, recursive: true);
}

async Task<Result> MeasureOursAsync(string endpoint)
{
    var options = new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(sampling), MaxNotificationsPerPublish = 10_000, CreateBatchSize = 1000, PublishRequests = 5 };
    var specs = Enumerable.Range(0, items).Select(i => new MonitoredItemSpec(NodeId.FromNumeric(2, (uint)(100_000 + i)), sampling, 10)).ToArray();
    await using var session = await UaSession.ConnectAsync(endpoint, new UaSessionOptions(), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
    var subscription = new UaSubscription(specs, options, TimeProvider.System, NullLogger.Instance);
    var create = Stopwatch.StartNew();
    await subscription.CreateAsync(session, CancellationToken.None);
    create.Stop();
    long notifications = 0;
    using var stop = new CancellationTokenSource();
    var run = subscription.RunAsync(session, batch =>
    {
        Interlocked.Add(ref notifications, batch.Count);
        return ValueTask.CompletedTask;
    }, stop.Token);
    await Task.Delay(1000);
    Interlocked.Exchange(ref notifications, 0);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var window = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    var counted = Interlocked.Read(ref notifications);
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    window.Stop();
    await stop.CancelAsync();
    try
    {
        await run;
    }
    catch (OperationCanceledException)
    {
        // Stopped.
    }

    await session.CloseAsync(CancellationToken.None);
    return new Result(create.Elapsed.TotalMilliseconds, counted, cpuUsed.TotalMilliseconds, window.Elapsed.TotalMilliseconds, subscription.MonitoredItemCount);
}

async Task<Result> MeasureNodeOpcuaAsync(string endpoint)
{
    var client = Start("node", peer, Path.Combine(peer, "bench-client.js"), "--endpoint", endpoint, "--items", items.ToString(CultureInfo.InvariantCulture),
        "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--sampling", sampling.ToString(CultureInfo.InvariantCulture));
    var output = await client.StandardOutput.ReadToEndAsync();
    await client.WaitForExitAsync();
    var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("bench-client.js printed no result: " + output);
    using var json = JsonDocument.Parse(line);
    var root = json.RootElement;
    return new Result(root.GetProperty("createMs").GetDouble(), root.GetProperty("notifications").GetInt64(), root.GetProperty("cpuMs").GetDouble(), root.GetProperty("elapsedMs").GetDouble(), items);
}

void Print(string name, Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {r.CreateMs:F0} ms ({r.Items} accepted) | {r.Notifications / (r.ElapsedMs / 1000):F0} | {r.CpuMs / 1000:F2} | {r.Notifications / Math.Max(r.CpuMs / 1000, 0.001):F0} |"));

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindPeer()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "tests", "EdgeCloud.Edge.OpcUa.Tests", "peer");
        if (File.Exists(Path.Combine(candidate, "server.js")))
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("tests/EdgeCloud.Edge.OpcUa.Tests/peer not found; run from the repository (npm ci there first)");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static Process Start(string file, string workingDirectory, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    return Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
}

static async Task WaitReadyAsync(Process server)
{
    while (await server.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("READY", StringComparison.Ordinal))
        {
            return;
        }
    }

    throw new InvalidOperationException("the node-opcua server exited before it was ready");
}

/// <summary>One client's figures.</summary>
internal sealed record Result(double CreateMs, long Notifications, double CpuMs, double ElapsedMs, int Items);
