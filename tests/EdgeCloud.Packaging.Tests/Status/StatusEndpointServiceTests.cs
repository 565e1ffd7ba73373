using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Agent.Status;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Metrics;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Packaging.Tests.Status;

public sealed class StatusEndpointServiceTests
{
    [Theory]
    [InlineData(false, "unhealthy: the outbox failed: No space left on device")]
    [InlineData(true, "unhealthy: the outbox writer did not answer within 3 s")]
    public async Task GetHealthz_OutboxFailedOrWedged_503WithTheReason(bool wedged, string expected)
    {
        var port = FreePort();
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var config = new AgentConfig(
            "gw-test", "/nonexistent", new HubLinkConfig(new Uri("http://127.0.0.1:1"), 4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)),
            new OutboxConfig(10, TimeSpan.FromSeconds(1), 1 << 20), new SiteConfig([]), "agent.json")
        {
            Status = new StatusEndpointConfig(new IPEndPoint(IPAddress.Loopback, port)),
        };
        var outbox = new FailedOutbox(wedged);
        var sync = new SyncStatus();
        var clock = new FixedClock();
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions { Scope = meters });
        var reporter = new AgentStatusReporter(
            config, outbox, sync, clock, new AckProgress(), exporter, new EdgeCloud.Edge.Updates.Hosting.UpdateStatus(), new EdgeCloud.Edge.Updates.Slots.RunningBuild(config.Updates.SlotsDirectory), TimeProvider.System);
        using var service = new StatusEndpointService(
            config, exporter, reporter, new AgentMetrics(meters, outbox, sync, clock, TimeProvider.System), NullLogger<StatusEndpointService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
            await ListeningAsync(http);

            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(expected + "\n", await response.Content.ReadAsStringAsync());
            var status = await http.GetStringAsync(new Uri("/status", UriKind.Relative));
            Assert.Contains("\"healthy\": false", status, StringComparison.Ordinal);
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("\nedge_outbox_batches 2\n", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>ExecuteAsync runs on its own task (.NET 10): the listener may start just after StartAsync returns.</summary>
    private static async Task ListeningAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/nothing", UriKind.Relative));
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
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
