using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>Runs <see cref="IncidentService.TickAsync"/> (escalation, snooze expiry) every <see cref="AlertsOptions.MonitorInterval"/>.</summary>
internal sealed partial class IncidentMonitor(IncidentService service, IOptions<AlertsOptions> options, TimeProvider time, ILogger<IncidentMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await service.TickAsync(stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, error);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 8121, Level = LogLevel.Warning, Message = "Incident escalation round failed; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
