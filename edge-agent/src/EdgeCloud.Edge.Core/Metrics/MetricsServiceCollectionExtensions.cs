using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeCloud.Edge.Metrics;

/// <summary>Registers a <see cref="PrometheusExporter"/> scoped to the container's own meters.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the exporter as a singleton over the container's <see cref="IMeterFactory"/> (meters of
    /// other hosts in the same process are not exported) and the runtime meter. Resolve it when the
    /// host starts: it sees only the measurements made after it exists.
    /// </summary>
    public static IServiceCollection AddPrometheusExporter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(sp => new PrometheusExporter(new PrometheusExporterOptions { Scope = sp.GetRequiredService<IMeterFactory>() }));
        return services;
    }
}
