using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// A real hub (HubApplication on Kestrel) on ephemeral loopback ports over a data folder, with an HTTP
/// client on its API endpoint and a gRPC client on its sync endpoint (cleartext HTTP/2, prior knowledge).
/// Dispose stops it and releases the ports; the data folder belongs to the caller.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
{
    private TestHub(WebApplication app, LogCollector logs)
    {
        App = app;
        Logs = logs;
        var endpoints = app.Services.GetRequiredService<HubEndpoints>();
        ApiUri = endpoints.Api;
        SyncUri = endpoints.Sync;
        Http = new HttpClient { BaseAddress = ApiUri, Timeout = TimeSpan.FromSeconds(10) };
        Channel = GrpcChannel.ForAddress(SyncUri, new GrpcChannelOptions { MaxRetryAttempts = 0 });
        Client = new FleetSync.FleetSyncClient(Channel);
    }

    public WebApplication App { get; }

    public LogCollector Logs { get; }

    public Uri ApiUri { get; }

    public Uri SyncUri { get; }

    public HttpClient Http { get; }

    public GrpcChannel Channel { get; }

    public FleetSync.FleetSyncClient Client { get; }

    public ITelemetryStore Store => App.Services.GetRequiredService<ITelemetryStore>();

    /// <summary>Starts a hub; <paramref name="extraArgs"/> come last, so they override the defaults here.</summary>
    public static async Task<TestHub> StartAsync(string dataDirectory, Action<WebApplicationBuilder>? configure = null, params string[] extraArgs)
    {
        string[] args =
        [
            $"--Storage:DataDirectory={dataDirectory}",
            "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0",
            "--Fleet:Mode=InsecureDevelopment",
            "--Logging:LogLevel:Default=Debug",
            "--Logging:LogLevel:Microsoft=Warning",
            "--Logging:LogLevel:Grpc=Warning",
            // Test data is dated 2023: the retention job of a default hub would delete it at start.
            "--Retention:Enabled=false",
            .. extraArgs,
        ];
        var logs = new LogCollector();
        var app = HubApplication.Create(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new TestHub(app, logs);
    }

    public Task<AgentStream> ConnectAsync(string agentId) => AgentStream.ConnectAsync(Client, agentId);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
