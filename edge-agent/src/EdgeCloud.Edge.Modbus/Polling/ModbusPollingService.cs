using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Polls every <see cref="ModbusDeviceConfig"/> of the site config (TCP, RTU, RTU over TCP), each
/// in its own loop (one per poll group), all awaited together: a failing device never stops the others, and the service
/// ends only when the host stops it. A TCP device has its own connection; the devices of one RTU
/// bus share its master, which serialises their requests; tag writes use the same masters (<see cref="ModbusMasters"/>). Points go to the <see cref="IPointSink"/>.
/// </summary>
internal sealed partial class ModbusPollingService(
    ModbusMasters masters,
    IPointSink sink,
    TimeProvider time,
    ModbusMetrics metrics,
    ILogger<ModbusPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var devices = masters.Devices.ToList();
        if (devices.Count == 0)
        {
            LogNoDevices(logger);
            return;
        }

        // The masters belong to ModbusMasters (tag writes share them); it closes them after the pollers stop.
        // Pollers with the same interval share one clock (PollClock: one timer wake-up per tick, not one per device).
        var clocks = new Dictionary<TimeSpan, PollClock>();
        var pollers = devices
            .SelectMany(d => PollGroups.Split(d).Select(part => new DevicePoller(
                part, masters.For(d), sink, time, metrics, logger, ownsMaster: false, clock: ClockFor(part.PollInterval))))
            .ToList();
        LogStarting(logger, devices.Count, devices.Sum(d => d.Tags.Count), masters.Buses);
        var stop = stoppingToken.Register(() =>
        {
            foreach (var clock in clocks.Values)
            {
                clock.Dispose();
            }
        });
        try
        {
            await Task.WhenAll(pollers.Select(p => p.RunAsync(stoppingToken)));
        }
        finally
        {
            await stop.DisposeAsync();
            foreach (var clock in clocks.Values)
            {
                clock.Dispose();
            }

            foreach (var poller in pollers)
            {
                await poller.DisposeAsync();
            }
        }

        PollClock ClockFor(TimeSpan interval)
        {
            if (!clocks.TryGetValue(interval, out var clock))
            {
                clocks[interval] = clock = new PollClock(interval, time);
            }

            return clock;
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Polling {Devices} Modbus devices ({Tags} tags, {Buses} RTU buses)")]
    private static partial void LogStarting(ILogger logger, int devices, int tags, int buses);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Debug, Message = "No Modbus device is configured")]
    private static partial void LogNoDevices(ILogger logger);
}
