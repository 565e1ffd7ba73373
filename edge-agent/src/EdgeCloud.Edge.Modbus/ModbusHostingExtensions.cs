using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.SerialLine;
using EdgeCloud.Edge.Modbus.Writes;
using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Modbus;

/// <summary>Registers the Modbus sources with a host.</summary>
public static class ModbusHostingExtensions
{
    /// <summary>
    /// Adds the Modbus polling service (TCP, RTU on serial buses, RTU over TCP) and the Modbus
    /// <see cref="ITagWriter"/>, which writes through the same masters, and the reader of serial-line
    /// sensors (<c>"protocol": "serial-line"</c>). It needs a <c>SiteConfig</c> and an <c>IPointSink</c>
    /// in the container (the host registers both); a <see cref="TimeProvider"/> is added when none is.
    /// </summary>
    public static IHostApplicationBuilder AddModbusSources(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ModbusMetrics>();
        builder.Services.TryAddSingleton(sp => new ModbusMasters(sp.GetRequiredService<SiteConfig>(), sp.GetRequiredService<TimeProvider>()));

        // Not TryAdd: every protocol adds its writer, and callers resolve IEnumerable<ITagWriter>.
        builder.Services.AddSingleton<ITagWriter, ModbusTagWriter>();
        builder.Services.AddHostedService<ModbusPollingService>();
        builder.Services.AddHostedService<SerialLineService>();
        return builder;
    }
}
