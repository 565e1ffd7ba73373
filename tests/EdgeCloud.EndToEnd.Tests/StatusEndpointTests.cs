using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.Edge.Tests.Metrics;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The installer's view of a running agent: a real edge-agent process polling pymodbus and syncing
/// to a real hub, its /metrics, /healthz and /status on a loopback port, and <c>edge-agent status</c>
/// run as a process against it, while the hub is up, after it stopped, and after the agent stopped.
/// </summary>
public sealed partial class StatusEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agent_PointsFlow_MetricsStatusAndStatusCommandFollow()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var statusPort = FreePort.Next();
        var config = AgentConfigFile.WithStatus(AgentConfigFile.Write(folder.Path, "e2e-status", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port)), $"127.0.0.1:{statusPort}");
        var baseUrl = $"http://127.0.0.1:{statusPort}";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        await using var agent = AgentProcess.Start("run", "--config", config);

        var connected = await Eventually.ReturnsAsync(
            () => StatusAsync(http),
            s => s.GetProperty("sync").GetProperty("connected").GetBoolean() && s.GetProperty("outbox").GetProperty("lastAcknowledgedSequence").GetUInt64() > 0,
            Patience,
            "the agent connected, with a batch acknowledged");
        Assert.Equal("e2e-status", connected.GetProperty("agentId").GetString());
        Assert.True(connected.GetProperty("health").GetProperty("healthy").GetBoolean());
        var device = connected.GetProperty("devices")[0];
        Assert.Equal("plc", device.GetProperty("name").GetString());
        Assert.True(device.GetProperty("polls").GetInt64() > 0);

        using (var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        // Values move as points flow.
        var first = await MetricsAsync(http);
        Assert.Equal(1, first.Value("edge_sync_connected"));
        var published = first.Value("edge_pipeline_points_published_total");
        var polls = first.Value("edge_modbus_polls_total", ("device", "plc"));
        await Eventually.TrueAsync(
            async () =>
            {
                var later = await MetricsAsync(http);
                return later.Value("edge_pipeline_points_published_total") > published
                    && later.Value("edge_modbus_polls_total", ("device", "plc")) > polls
                    && later.Value("edge_sync_acknowledged_sequence") > first.Value("edge_sync_acknowledged_sequence");
            },
            Patience,
            "points published, polls and acknowledgements to grow");

        // The hub counted the same batches on its own /metrics.
        var hubMetrics = PrometheusParser.Parse(await hub.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.True(hubMetrics.Value("edgecloud_hub_ingest_points_total") > 0);
        Assert.Equal(1, hubMetrics.Value("edgecloud_hub_agents_connected"));

        var healthy = await RunStatusAsync(baseUrl);
        Assert.True(healthy.Code == 0, healthy.Output);
        Assert.Matches(@"hub\s+connected to http://127\.0\.0\.1:\d+/ since", healthy.Output);
        Assert.Contains("status    healthy", healthy.Output, StringComparison.Ordinal);
        Assert.Matches(@"device\s+plc \(modbus-tcp\): \d+ polls", healthy.Output);

        // Hub gone: the link goes down, the backlog grows, the command says why and fails.
        await hub.StopAsync();
        await Eventually.TrueAsync(
            async () => (await StatusAsync(http)).GetProperty("sync").GetProperty("connected").GetBoolean() is false,
            Patience,
            "the agent to notice the hub is gone");
        var down = await RunStatusAsync(baseUrl);
        Assert.True(down.Code == 1, down.Output);
        Assert.Contains("NOT connected", down.Output, StringComparison.Ordinal);
        Assert.Contains("UNHEALTHY: not connected to the hub", down.Output, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await MetricsAsync(http)).Value("edge_outbox_batches") > 0, Patience, "a backlog to build up");

        // Agent gone: nothing answers.
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
        var gone = await RunStatusAsync(baseUrl);
        Assert.True(gone.Code == 69, gone.Output);
        Assert.Contains("no agent status at", gone.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_StatusPortTaken_RunsOnAndSaysWhy()
    {
        using var folder = new TempFolder();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = AgentConfigFile.WithStatus(AgentConfigFile.Write(folder.Path, "e2e-status-taken", "http://127.0.0.1:1", AgentConfigFile.DeadDevice(FreePort.Next())), $"127.0.0.1:{port}");

        await using var agent = AgentProcess.Start("run", "--config", config);

        await agent.WaitForLineAsync(CannotListen(), Patience);
        await agent.WaitForLineAsync(DeviceUnreachable(), Patience);
        Assert.False(agent.HasExited, agent.Output);
    }

    private static async Task<JsonElement> StatusAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri("/status", UriKind.Relative));

    private static async Task<PrometheusParser> MetricsAsync(HttpClient http) =>
        PrometheusParser.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static async Task<(int Code, string Output)> RunStatusAsync(string url)
    {
        await using var command = AgentProcess.Start("status", "--url", url);
        // WaitForExitAsync also waits for the redirected output to reach its end.
        var code = await command.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, command.Output);
    }

    [GeneratedRegex("Status endpoint cannot listen on http://127.0.0.1:")]
    private static partial Regex CannotListen();

    [GeneratedRegex("Modbus device dead cannot be reached")]
    private static partial Regex DeviceUnreachable();
}
