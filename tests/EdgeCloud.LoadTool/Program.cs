using System.Diagnostics;
using System.Globalization;
using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Storage;
using EdgeCloud.LoadTool;
using EdgeCloud.Proto.Sync.V1;

// Usage: dotnet run -c Release --project tests/EdgeCloud.LoadTool -- [agents] [batches per agent] [points per batch]
var agents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var batches = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var points = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var total = (long)agents * batches * points;
Console.WriteLine($"load: {agents} agents x {batches} batches x {points} points = {total:N0} points");

var sample = FleetLoad.MakeBatch("agent-0", 1, points, 0);
var wire = new AgentMessage { Telemetry = sample }.CalculateSize();
Console.WriteLine($"wire: {wire:N0} bytes per {points}-point batch = {(double)wire / points:F1} bytes/point (protobuf, uncompressed)");

// 1. The bound: the hub's own store, called directly with the same batches (no network, no gRPC).
var boundDir = Directory.CreateTempSubdirectory("load-bound-").FullName;
double bound;
await using (var direct = HubApplication.Create([$"--Storage:DataDirectory={boundDir}", "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0", "--Fleet:Mode=InsecureDevelopment", "--Logging:LogLevel:Default=Warning"]))
{
    var store = direct.Services.GetRequiredService<ITelemetryStore>();
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, agents).Select(a => Task.Run(async () =>
    {
        for (var b = 1; b <= batches; b++)
        {
            await store.IngestAsync($"agent-{a}", FleetLoad.MakeBatch($"agent-{a}", (ulong)b, points, a), DateTimeOffset.UnixEpoch);
        }
    })));
    bound = total / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"bound: hub store IngestAsync directly: {bound:N0} points/s ({watch.Elapsed.TotalSeconds:F2} s)");
}

// 2. The real path: agents stream over gRPC (h2c on loopback) to a Kestrel hub, which stores and acks.
var hubDir = Directory.CreateTempSubdirectory("load-hub-").FullName;
await using (var hub = HubApplication.Create([$"--Storage:DataDirectory={hubDir}", "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0", "--Fleet:Mode=InsecureDevelopment", "--Logging:LogLevel:Default=Warning"]))
{
    await hub.StartAsync();
    var sync = hub.Services.GetRequiredService<HubEndpoints>().Sync;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, agents).Select(a => FleetLoad.StreamAsync(sync, $"agent-{a}", batches, points, a, window: 32)));
    var rate = total / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"fleet: {agents} gRPC streams -> hub -> SQLite, acked: {rate:N0} points/s ({watch.Elapsed.TotalSeconds:F2} s), {rate / bound:F2}x the bound");
    await hub.StopAsync();
}

Directory.Delete(boundDir, recursive: true);
Directory.Delete(hubDir, recursive: true);
