using EdgeCloud.Edge.Modbus.Polling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Modbus;

/// <summary>Registers the Modbus sources with a host.</summary>
public static class ModbusHostingExtensions
{
    /// <summary>
    /// Adds the Modbus polling service (TCP, RTU on serial buses, RTU over TCP). It needs a <c>SiteConfig</c> and an <c>IPointSink</c>
    /// in the container (the host registers both); a <see cref="TimeProvider"/> is added when none is.
    /// </summary>
    public static IHostApplicationBuilder AddModbusSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ModbusMetrics>();
        builder.Services.AddHostedService<ModbusPollingService>();
        return builder;
    }
}
