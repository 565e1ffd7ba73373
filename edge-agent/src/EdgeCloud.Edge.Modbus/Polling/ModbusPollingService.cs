using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Polls every <see cref="ModbusTcpDeviceConfig"/> of the site config, each in its own loop with
/// its own master, all awaited together: a failing device never stops the others, and the service
/// ends only when the host stops it. Points go to the <see cref="IPointSink"/>.
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
        var devices = site.Devices.OfType<ModbusTcpDeviceConfig>().ToList();
        if (devices.Count == 0)
        {
            LogNoDevices(logger);
            return;
        }

        var pollers = devices
            .Select(d => new DevicePoller(d, new ModbusTcpMaster(d.Host, d.Port, d.Timeout, time), sink, time, metrics, logger))
            .ToList();
        LogStarting(logger, devices.Count, devices.Sum(d => d.Tags.Count));
        try
        {
            await Task.WhenAll(pollers.Select(p => p.RunAsync(stoppingToken)));
        }
        finally
        {
            foreach (var poller in pollers)
            {
                await poller.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Polling {Devices} Modbus TCP devices ({Tags} tags)")]
    private static partial void LogStarting(ILogger logger, int devices, int tags);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Debug, Message = "No Modbus TCP device is configured")]
    private static partial void LogNoDevices(ILogger logger);
}
