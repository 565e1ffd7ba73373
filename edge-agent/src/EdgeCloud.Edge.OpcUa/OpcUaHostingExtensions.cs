using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.OpcUa;

/// <summary>Registers the OPC UA source with a host.</summary>
public static class OpcUaHostingExtensions
{
    /// <summary>
    /// Adds the OPC UA subscription service. It needs an <c>AgentConfig</c> (its data folder holds
    /// the application certificate and trust lists under <c>pki/opcua</c>), a <c>SiteConfig</c>
    /// and an <c>IPointSink</c> in the container; a <see cref="TimeProvider"/> is added when none is.
    /// </summary>
    public static IHostApplicationBuilder AddOpcUaSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new OpcUaSourceOptions
        {
            PkiFolder = Path.Combine(sp.GetRequiredService<AgentConfig>().DataDirectory, "pki", "opcua"),
        });
        builder.Services.AddHostedService<OpcUaSourceService>();
        return builder;
    }
}
