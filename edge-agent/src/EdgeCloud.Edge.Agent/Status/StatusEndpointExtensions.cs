using EdgeCloud.Edge.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>Registers the local status endpoint, the Prometheus exporter and the agent's own instruments.</summary>
internal static class StatusEndpointExtensions
{
    /// <summary>Adds them; needs the outbox and the hub sync registered.</summary>
    public static IHostApplicationBuilder AddStatusEndpoint(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPrometheusExporter();
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<AckProgress>();
        builder.Services.AddSingleton<AgentStatusReporter>();
        builder.Services.AddHostedService<AckProgressSampler>();
        builder.Services.AddHostedService<StatusEndpointService>();
        return builder;
    }
}
