using System.Text.Json.Serialization;
using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Api.Agents;
using EdgeCloud.Hub.Api.Health;
using EdgeCloud.Hub.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Hub.Api;

/// <summary>
/// Registers and maps the hub's REST API (<c>/api/v1</c>, JSON in camelCase, problem details on every
/// error), <c>/healthz</c> and the root page. Needs storage and ingest registered.
/// </summary>
public static class HubApiExtensions
{
    private const string RootPage = """
        EdgeCloud cloud hub

        REST API (JSON):
          GET /api/v1/agents                     every agent, online state, counters
          GET /api/v1/agents/{agentId}           one agent
          GET /api/v1/agents/{agentId}/gaps      sequence gaps of one agent
          GET /api/v1/telemetry?agent=&tag=device/tag&from=&to=&resolution=raw|1m|1h|auto&limit=
                                                 points or rollups of one tag (ISO-8601 times, default the last hour)
          GET /api/v1/telemetry/export?...&format=csv|json      the same as a download (up to 1,000,000 rows)
          GET /api/v1/telemetry/analytics?...&with=device/tag&horizon=PT1H
                                                 mean, stddev, percentiles, trend, correlation, forecast
          GET /api/v1/fleet/telemetry?tag=&agents=a,b&groupBy=agent|label:site&resolution=1m|1h|auto
                                                 one tag's rollups across agents, grouped
          GET /api/v1/agents/{agentId}/live      server-sent events: the agent's values as they change
          GET /api/v1/alarm-events/stream        server-sent events: alarm events as they are stored
        Health: GET /healthz    OpenAPI: GET /openapi/v1.json
        Agents sync over gRPC (FleetSync.Connect) on the sync endpoint.
        Dashboard (a browser): GET /dashboard/

        """;

    /// <summary>Adds problem details, JSON settings and the storage health check.</summary>
    public static IHostApplicationBuilder AddHubApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IAgentScope, UnrestrictedAgentScope>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // Devices do produce NaN and infinities; strict JSON has no literal for them, so they travel as strings.
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        builder.Services.AddOpenApi("v1");
        builder.Services.TryAddSingleton<FleetTelemetry.IAgentLabels, FleetTelemetry.ConfiguredAgentLabels>();
        builder.Services.AddOptions<Live.LiveOptions>().BindConfiguration(Live.LiveOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Live.LiveMetrics>();
        return builder;
    }

    /// <summary>Maps the root page, <c>/healthz</c> and <c>/api/v1</c>, with problem details for errors.</summary>
    public static WebApplication MapHubApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapGet("/", () => TypedResults.Text(RootPage, "text/plain; charset=utf-8")).ExcludeFromDescription();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapOpenApi("/openapi/{documentName}.json");

        var api = app.MapGroup("/api/v1");
        AgentEndpoints.Map(api);
        TelemetryEndpoints.Map(api);
        TelemetryExportEndpoints.Map(api);
        Analytics.AnalyticsEndpoints.Map(api);
        FleetTelemetry.FleetEndpoints.Map(api);
        Live.LiveEndpoints.Map(api);
        return app;
    }
}
