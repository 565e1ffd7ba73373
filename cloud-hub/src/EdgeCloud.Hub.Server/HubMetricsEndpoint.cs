using EdgeCloud.Edge.Metrics;

namespace EdgeCloud.Hub.Server;

/// <summary>
/// <c>GET /metrics</c>: the hub's Prometheus text (ingest counters, connected agents, store time,
/// ingest lag, the runtime's own meter) through the same exporter as the agent's. Served without
/// authentication, like <c>/healthz</c>, so that a Prometheus on the hub's network can scrape it;
/// restrict it at the network (or the API listener's bind address) where that matters.
/// </summary>
internal static class HubMetricsEndpoint
{
    /// <summary>Adds the exporter over the hub's own meters.</summary>
    public static IHostApplicationBuilder AddHubMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPrometheusExporter();
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, kept out of the OpenAPI document.</summary>
    public static WebApplication MapHubMetrics(this WebApplication app)
    {
        // Created now, not at the first scrape: the exporter sees only measurements made after it exists.
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        app.MapGet("/metrics", () => TypedResults.Text(exporter.Collect(), PrometheusExporter.ContentType))
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }
}
