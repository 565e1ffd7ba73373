using System.Globalization;
using EdgeCloud.LoadTool;

// Usage (see the README):
//   dotnet run -c Release --project tests/EdgeCloud.LoadTool -- [agents] [batches per agent] [points per batch] [--postgres "<admin connection string>"]
//   dotnet run -c Release --project tests/EdgeCloud.LoadTool -- rollup-query [points] [--postgres "<admin connection string>"]
//   dotnet run -c Release --project tests/EdgeCloud.LoadTool -- streams [agents] [streams per HTTP/2 connection]
//   dotnet run -c Release --project tests/EdgeCloud.LoadTool -- drain [points/s] [backlog seconds] [tags] [max drain seconds]
//   dotnet run -c Release --project tests/EdgeCloud.LoadTool -- gateway [devices] [points/s] [seconds] [warm-up seconds] [outbox batch points] [--in-memory-hub]
//       [--published | --published-dir DIR]
//     (needs the agent's Release build: dotnet build edge-agent/src/EdgeCloud.Edge.Agent -c Release, or EDGE_AGENT=<an edge-agent binary>;
//      --published measures what the .deb ships instead: the self-contained ReadyToRun publish, published first into
//      artifacts/publish/edge-agent/linux-x64 (or taken from DIR), started through the package's launcher with the systemd unit's Environment=)
// With --postgres the tool creates (and drops) scratch databases through that connection.
var postgres = Option(args, "--postgres");
var inMemoryHub = args.Contains("--in-memory-hub");
var publishDir = Option(args, "--published-dir");
var published = publishDir is not null || args.Contains("--published");
var positional = args.TakeWhile(a => a is not "--postgres" and not "--published-dir").Where(a => a is not "--in-memory-hub" and not "--published").ToArray();
if (positional.Length > 0 && positional[0] == "rollup-query")
{
    var points = positional.Length > 1 ? long.Parse(positional[1], CultureInfo.InvariantCulture) : 100_000_000L;
    await RollupQueryRun.RunAsync(points, postgres);
    return;
}

if (positional.Length > 0 && positional[0] == "streams")
{
    var connected = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 10_000;
    var perConnection = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 1;
    await StreamsRun.RunAsync(connected, perConnection);
    return;
}

if (positional.Length > 0 && positional[0] == "drain")
{
    await DrainRun.RunAsync(
        positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 10_000,
        positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 3600,
        positional.Length > 3 ? int.Parse(positional[3], CultureInfo.InvariantCulture) : 100,
        positional.Length > 4 ? int.Parse(positional[4], CultureInfo.InvariantCulture) : null);
    return;
}

if (positional.Length > 0 && positional[0] == "gateway")
{
    await GatewayRun.RunAsync(
        positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 10,
        positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 100_000,
        positional.Length > 3 ? int.Parse(positional[3], CultureInfo.InvariantCulture) : 60,
        positional.Length > 4 ? int.Parse(positional[4], CultureInfo.InvariantCulture) : 15,
        positional.Length > 5 ? int.Parse(positional[5], CultureInfo.InvariantCulture) : null,
        inMemoryHub,
        published,
        publishDir);
    return;
}

var agents = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 4;
var batches = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 200;
var size = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 1000;
await IngestRun.RunAsync(agents, batches, size, postgres);

static string? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
