using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Server;
using Microsoft.AspNetCore.Builder;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// The real hub (HubApplication, as the cloud-hub executable composes it) on real Kestrel
/// loopback ports with SQLite in a temp folder. It can be stopped and started again on the same
/// ports and data, as an outage or a hub restart.
/// </summary>
internal sealed class HubServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <param name="dataDirectory">Its SQLite folder.</param>
    /// <param name="syncPort">The sync port; a free one when null.</param>
    /// <param name="syncHost">The address the sync endpoint listens on (another interface than loopback, e.g. a veth's).</param>
    public HubServer(string dataDirectory, int? syncPort = null, string syncHost = "127.0.0.1")
    {
        SyncHost = syncHost;
        DataDirectory = dataDirectory;
        ApiPort = FreePort.Next();
        SyncPort = syncPort ?? FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}") };
    }

    public string DataDirectory { get; }

    public int ApiPort { get; }

    public int SyncPort { get; }

    public string SyncHost { get; }

    public string SyncUrl => $"http://{SyncHost}:{SyncPort}";

    public HttpClient Http { get; }

    /// <summary>Starts the hub; <paramref name="extraArgs"/> (configuration overrides) come last.</summary>
    public async Task StartAsync(params string[] extraArgs)
    {
        _app = HubApplication.Create(
        [
            $"--Storage:DataDirectory={DataDirectory}",
            $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{ApiPort}",
            $"--Kestrel:Endpoints:Sync:Url={SyncUrl}",
            "--Fleet:Mode=InsecureDevelopment",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ]);
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>The agent as the REST API reports it, or null while the hub has never heard of it.</summary>
    public Task<JsonElement?> GetAgentAsync(string agentId) => GetAgentAsync(Http, agentId);

    public Task<JsonElement> GetTelemetryAsync(string agentId, string tag, DateTimeOffset from, DateTimeOffset to) =>
        GetTelemetryAsync(Http, agentId, tag, from, to);

    public static async Task<JsonElement?> GetAgentAsync(HttpClient http, string agentId)
    {
        using var response = await http.GetAsync($"/api/v1/agents/{agentId}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetTelemetryAsync(HttpClient http, string agentId, string tag, DateTimeOffset from, DateTimeOffset to)
    {
        var url = $"/api/v1/telemetry?agent={agentId}&tag={Uri.EscapeDataString(tag)}&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&limit=100000";
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }
}
