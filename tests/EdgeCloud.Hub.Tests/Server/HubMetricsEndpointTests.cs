using EdgeCloud.Edge.Tests.Metrics;
using EdgeCloud.Hub.Tests.TestSupport;

namespace EdgeCloud.Hub.Tests.Server;

public sealed class HubMetricsEndpointTests
{
    [Fact]
    public async Task GetMetrics_AfterBatches_ShowsIngestCountersStreamsStoreTimeAndLag()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);
        using var agent = await hub.ConnectAsync("gw-metrics");
        var sealedNanos = (ulong)((DateTimeOffset.UtcNow - TimeSpan.FromSeconds(2)).ToUnixTimeMilliseconds() * 1_000_000);
        for (ulong sequence = 1; sequence <= 2; sequence++)
        {
            var batch = Batches.Numbers(sequence, "plc/temperature", Batches.BaseNanos, 5);
            batch.SealedUnixNano = sealedNanos;
            batch.ClockSynchronized = true;
            await agent.SendBatchAsync(batch);
        }

        await agent.SendBatchAsync(Batches.Numbers(1, "plc/temperature", Batches.BaseNanos, 5));

        using var response = await hub.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var metrics = PrometheusParser.Parse(text);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(2, metrics.Value("edgecloud_hub_ingest_batches_total", ("outcome", "stored")));
        Assert.Equal(1, metrics.Value("edgecloud_hub_ingest_batches_total", ("outcome", "duplicate")));
        Assert.Equal(10, metrics.Value("edgecloud_hub_ingest_points_total"));
        Assert.Equal(1, metrics.Value("edgecloud_hub_agents_connected"));
        Assert.Equal("histogram", metrics.Types["edgecloud_hub_ingest_store_duration_seconds"]);
        Assert.Equal(3, metrics.Value("edgecloud_hub_ingest_store_duration_seconds_count"));

        // Sealed two seconds ago on a synchronized clock: in the lag's (1, 2.5] bucket or later, not before.
        Assert.Equal(0, metrics.Value("edgecloud_hub_ingest_lag_seconds_bucket", ("clock_synchronized", "true"), ("le", "1")));
        Assert.Equal(2, metrics.Value("edgecloud_hub_ingest_lag_seconds_count", ("clock_synchronized", "true")));
        Assert.True(metrics.Value("edgecloud_hub_ingest_lag_seconds_sum", ("clock_synchronized", "true")) >= 4);
    }

    [Fact]
    public async Task GetMetrics_TwoHubsInOneProcess_EachShowsOnlyItsOwnFigures()
    {
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        await using var hubA = await TestHub.StartAsync(dataA.Path);
        await using var hubB = await TestHub.StartAsync(dataB.Path);
        using var agent = await hubA.ConnectAsync("gw-a");
        await agent.SendBatchAsync(Batches.Numbers(1, "plc/t", Batches.BaseNanos, 3));

        var a = PrometheusParser.Parse(await hubA.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        var b = PrometheusParser.Parse(await hubB.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        Assert.Equal(3, a.Value("edgecloud_hub_ingest_points_total"));
        Assert.Null(b.Find("edgecloud_hub_ingest_points_total"));
    }
}
