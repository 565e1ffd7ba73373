using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EdgeCloud.Edge.Agent.Hosting;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Simulator;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Hub.Server;

// Everything lives under .data/demo at the repository root, so a second run shows that the hub
// and the agent's outbox kept their state.
var root = FindRepoRoot();
var dataRoot = Path.Combine(root, ".data", "demo");
Directory.CreateDirectory(dataRoot);
var apiPort = PortOr(5080);
var syncPort = PortOr(5081);
var plcPort = PortOr(5020);
const string AgentId = "demo-gateway";

// The demo runs the hub in its secure mode, as a gateway would: mTLS on the sync link, an API key on the
// API. The bootstrap admin's key is fixed here so that every run (and the README) can use it.
const string AdminKey = "ecak_demo-admin-key-not-for-production";

await using var plc = ModbusSimulator.Start(new ModbusSimulatorOptions { Port = plcPort });

var hub = HubApplication.Create(
[
    $"--Storage:DataDirectory={Path.Combine(dataRoot, "hub")}",
    $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{apiPort}",
    $"--Kestrel:Endpoints:Sync:Url=https://127.0.0.1:{syncPort}",
    $"--Fleet:BootstrapAdminKey={AdminKey}",
    "--Logging:LogLevel:Default=Warning",
]);
await hub.StartAsync();
var api = $"http://127.0.0.1:{apiPort}";
using var http = new HttpClient { BaseAddress = new Uri(api) };
http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

// Enroll the demo agent once (its identity stays in .data/demo/agent/identity): a single-use token from the
// API, then the agent's own key pair and CSR, signed by the hub's CA.
var identity = new AgentIdentityFiles(Path.Combine(dataRoot, "agent"));
if (!identity.Exists)
{
    using var tokenResponse = await http.PostAsJsonAsync("/api/v1/enrollment-tokens", new { labels = new[] { "demo" } });
    var enrollmentToken = (await tokenResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    await EnrollmentClient.EnrollAsync(http, new Uri(api), enrollmentToken, AgentId, identity, CancellationToken.None);
}

var configPath = Path.Combine(dataRoot, "agent.json");
var site = JsonDocument.Parse(SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", plc.EndPoint.Port, "plc1", pollIntervalMs: 1000));
await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(new
{
    agentId = AgentId,
    dataDirectory = Path.Combine(dataRoot, "agent"),
    hub = new { url = $"https://127.0.0.1:{syncPort}" },
    devices = site.RootElement.GetProperty("devices"),
}, new JsonSerializerOptions { WriteIndented = true }));
var agentBuilder = AgentHost.CreateBuilder(ConfigLoader.Load(configPath));
using var agent = agentBuilder.Build();
await agent.StartAsync();

Console.WriteLine($"""

    EdgeCloud demo is running (Ctrl+C stops it).
      simulated PLC (Modbus TCP):  127.0.0.1:{plc.EndPoint.Port}, unit 1 (try: edge-agent simulate modbus --print-config)
      hub REST API:                {api}/api/v1/agents
      telemetry, e.g.:             {api}/api/v1/telemetry?agent={AgentId}&tag=plc1/temperature
      hub health:                  {api}/healthz
      dashboard (a browser):       {api}/dashboard/  (sign in with the admin API key below)
      authenticate (admin API key): curl -H 'X-Api-Key: {AdminKey}' {api}/api/v1/fleet/agents
      or a JWT:                    curl -X POST -H 'X-Api-Key: {AdminKey}' {api}/api/v1/auth/token
                                   then send  -H 'Authorization: Bearer <accessToken>'
      OpenAPI:                     {api}/openapi/v1.json
      agent config:                {configPath}
      state (hub SQLite, outbox):  {dataRoot}

    """);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM (systemd, timeout, docker stop) stops the hub's host; the demo must end with it, not keep polling.
using var onStopping = hub.Lifetime.ApplicationStopping.Register(stop.Cancel);

while (!stop.IsCancellationRequested)
{
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
        var agents = await http.GetFromJsonAsync<JsonElement>("/api/v1/agents", stop.Token);
        foreach (var a in agents.EnumerateArray())
        {
            Console.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} hub: agent {a.GetProperty("agentId")} online={a.GetProperty("online")} batches={a.GetProperty("batches")} points={a.GetProperty("points")} gaps={a.GetProperty("gaps")}");
        }
    }
    catch (OperationCanceledException)
    {
        break;
    }
    catch (HttpRequestException ex)
    {
        Console.WriteLine($"hub API not answering: {ex.Message}");
    }
}

Console.WriteLine("stopping: agent (flushes its last points), hub, PLC");
await agent.StopAsync();
await hub.StopAsync();
await hub.DisposeAsync();
return 0;

static int PortOr(int preferred)
{
    try
    {
        using var probe = new TcpListener(IPAddress.Loopback, preferred);
        probe.Start();
        return preferred;
    }
    catch (SocketException)
    {
        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }
}

static string FindRepoRoot()
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
