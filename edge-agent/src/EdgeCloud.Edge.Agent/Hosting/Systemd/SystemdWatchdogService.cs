using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>
/// Feeds systemd's watchdog with real progress: every <see cref="WatchdogSettings.PingInterval"/>
/// it sends <c>WATCHDOG=1</c> only if the pipeline moved within the allowed window (or no device is
/// configured), and a <c>STATUS=</c> line either way, so `systemctl status` says what the agent is
/// doing or why it stopped pinging. A wedged pipeline thus gets the agent killed and restarted by
/// systemd (Restart=on-failure). READY=1 and STOPPING=1 are not sent here:
/// Microsoft.Extensions.Hosting.Systemd's lifetime sends them.
/// </summary>
internal sealed partial class SystemdWatchdogService(
    NotifySocket socket,
    WatchdogSettings settings,
    IPipelineProgress progress,
    TimeProvider time,
    ILogger<SystemdWatchdogService> logger) : BackgroundService
{
    /// <summary>
    /// How long the pipeline may stand still before the pings stop: a ping interval, or what the
    /// slowest device needs to show progress, whichever is longer.
    /// </summary>
    public TimeSpan StallWindow
    {
        get
        {
            var needed = progress.ExpectedLatency + (settings.PingInterval / 2);
            return needed > settings.PingInterval ? needed : settings.PingInterval;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastMark = progress.Mark;
        var lastMoved = time.GetTimestamp();
        var stalled = false;
        LogArmed(logger, settings.Timeout, settings.PingInterval, StallWindow, socket.Address);
        using var timer = new PeriodicTimer(settings.PingInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var mark = progress.Mark;
                if (mark != lastMark)
                {
                    lastMark = mark;
                    lastMoved = time.GetTimestamp();
                }

                var still = time.GetElapsedTime(lastMoved);
                if (!progress.ExpectsPoints)
                {
                    socket.TrySend("WATCHDOG=1\nSTATUS=running, no devices configured");
                }
                else if (still <= StallWindow)
                {
                    if (stalled)
                    {
                        stalled = false;
                        LogResumed(logger, mark);
                    }

                    socket.TrySend(string.Create(CultureInfo.InvariantCulture, $"WATCHDOG=1\nSTATUS=running, durable up to sequence {mark}"));
                }
                else
                {
                    if (!stalled)
                    {
                        stalled = true;
                        LogStalled(logger, still, mark);
                    }

                    socket.TrySend(string.Create(CultureInfo.InvariantCulture, $"STATUS=pipeline stalled for {still.TotalSeconds:F0} s at durable sequence {mark}; watchdog pings withheld"));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the host's systemd lifetime sends STOPPING=1.
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "systemd watchdog armed: timeout {Timeout}, ping every {Interval} while the pipeline moves within {Window} (notify socket {Socket})")]
    private static partial void LogArmed(ILogger logger, TimeSpan timeout, TimeSpan interval, TimeSpan window, string socket);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Pipeline stalled for {Still} at durable sequence {Mark}: withholding watchdog pings so that systemd restarts the agent")]
    private static partial void LogStalled(ILogger logger, TimeSpan still, ulong mark);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Pipeline moves again (durable sequence {Mark}); watchdog pings resumed")]
    private static partial void LogResumed(ILogger logger, ulong mark);
}
