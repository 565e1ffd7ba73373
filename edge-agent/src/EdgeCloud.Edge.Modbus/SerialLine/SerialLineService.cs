using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.SerialLine;

/// <summary>
/// Reads every <see cref="SerialLineDeviceConfig"/> of the site config, each in its own loop, all
/// awaited together: a failing sensor never stops the others. Registered with the Modbus sources
/// because it shares their serial plumbing; the engine sees only points.
/// </summary>
internal sealed class SerialLineService(
    SiteConfig site, IPointSink sink, TimeProvider time, ModbusMetrics metrics, ILogger<SerialLineService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(site.Devices.OfType<SerialLineDeviceConfig>()
            .Select(d => new SerialLineReader(d, sink, time, metrics, logger).RunAsync(stoppingToken)));
}
