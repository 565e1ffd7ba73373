using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Agent.Status;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Metrics;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Packaging.Tests.Status;

/// <summary>
/// What a <see cref="StatusEndpointService"/> stands on, made once: an agent config with the endpoint on a free
/// loopback port, an outbox (a real LiteDB one in a temp folder unless a test brings its own), metrics and the
/// status reporter. <see cref="NewService"/> makes endpoints over it, several in turn for the start tests.
/// </summary>
internal sealed class StatusEndpointHarness : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edgecloud-status-");
    private readonly ServiceProvider _services;
    private readonly PrometheusExporter _exporter;
    private readonly AgentStatusReporter _reporter;
    private readonly AgentMetrics _metrics;
    private readonly AgentConfig _config;
    private readonly LiteDbOutbox? _ownOutbox;
    private readonly LoggerFactory _logging;

    public StatusEndpointHarness(IOutbox? outbox = null, params ILoggerProvider[] logs)
    {
        Port = FreePort();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        _config = new AgentConfig(
            "gw-test", "/nonexistent", new HubLinkConfig(new Uri("http://127.0.0.1:1"), 4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)),
            new OutboxConfig(10, TimeSpan.FromSeconds(1), 1 << 20), new SiteConfig([]), "agent.json")
        {
            Status = new StatusEndpointConfig(new IPEndPoint(IPAddress.Loopback, Port)),
        };
        outbox ??= _ownOutbox = new LiteDbOutbox(new OutboxOptions { Directory = _folder.FullName }, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);
        var sync = new SyncStatus();
        var clock = new FixedClock();
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { Scope = meters });
        _reporter = new AgentStatusReporter(
            _config, outbox, sync, clock, new AckProgress(), _exporter, new EdgeCloud.Edge.Updates.Hosting.UpdateStatus(), new EdgeCloud.Edge.Updates.Slots.RunningBuild(_config.Updates.SlotsDirectory), TimeProvider.System);
        _metrics = new AgentMetrics(meters, outbox, sync, clock, TimeProvider.System);
        _logging = new LoggerFactory(logs);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>The endpoint's loopback port (free when the harness was made).</summary>
    public int Port { get; }

    /// <summary>A client of the endpoint.</summary>
    public HttpClient Http { get; }

    /// <summary>A new endpoint; <paramref name="startListener"/> replaces <see cref="System.Net.HttpListener.Start"/> when given.</summary>
    public StatusEndpointService NewService(Action<HttpListener>? startListener = null) =>
        new(_config, _exporter, _reporter, _metrics, _logging.CreateLogger<StatusEndpointService>())
        {
            StartListener = startListener ?? (static listener => listener.Start()),
        };

    /// <summary>Waits until the endpoint answers (ExecuteAsync runs on its own task in .NET 10: it may start just after StartAsync returns).</summary>
    public async Task ListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri("/nothing", UriKind.Relative));
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _exporter.Dispose();
        _logging.Dispose();
        await _services.DisposeAsync();
        _ownOutbox?.Dispose();
        _folder.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A clock status that says synchronized: the kernel's flag is not what these tests are about.</summary>
    private sealed class FixedClock : IClockStatus
    {
        public bool IsSynchronized => true;
    }
}
