using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Polls every <see cref="ModbusDeviceConfig"/> of the site config (TCP, RTU, RTU over TCP), each
/// in its own loop, all awaited together: a failing device never stops the others, and the service
/// ends only when the host stops it. A TCP device has its own connection; the devices of one RTU
/// bus share its master, which serialises their requests. Points go to the <see cref="IPointSink"/>.
/// </summary>
internal sealed partial class ModbusPollingService(
    SiteConfig site,
    IPointSink sink,
    TimeProvider time,
    ModbusMetrics metrics,
    ILogger<ModbusPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var devices = site.Devices.OfType<ModbusDeviceConfig>().ToList();
        if (devices.Count == 0)
        {
            LogNoDevices(logger);
            return;
        }

        await using var masters = new ModbusMasterFactory(time);
        var pollers = devices
            .Select(d => new DevicePoller(d, masters.Create(d), sink, time, metrics, logger))
            .ToList();
        LogStarting(logger, devices.Count, devices.Sum(d => d.Tags.Count), masters.Buses.Count);
        try
        {
            await Task.WhenAll(pollers.Select(p => p.RunAsync(stoppingToken)));
        }
        finally
        {
            // Pollers first (each closes its own TCP master), then the factory closes the shared buses.
            foreach (var poller in pollers)
            {
                await poller.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Polling {Devices} Modbus devices ({Tags} tags, {Buses} RTU buses)")]
    private static partial void LogStarting(ILogger logger, int devices, int tags, int buses);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Debug, Message = "No Modbus device is configured")]
    private static partial void LogNoDevices(ILogger logger);
}
