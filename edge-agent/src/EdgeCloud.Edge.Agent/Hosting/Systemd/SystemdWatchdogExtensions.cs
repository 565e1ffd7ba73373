using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>Registers the progress-fed systemd watchdog.</summary>
internal static class SystemdWatchdogExtensions
{
    /// <summary>
    /// Adds the watchdog when systemd armed one for this process (<c>$NOTIFY_SOCKET</c> and
    /// <c>$WATCHDOG_USEC</c>, <c>$WATCHDOG_PID</c> matching); otherwise adds nothing. Call after
    /// the outbox is added.
    /// </summary>
    public static IHostApplicationBuilder AddSystemdWatchdog(this IHostApplicationBuilder builder)
    {
        var settings = WatchdogSettings.FromEnvironment();
        if (settings is null || NotifySocket.FromEnvironment() is not { } socket)
        {
            return builder;
        }

        builder.Services.AddSingleton(socket);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IPipelineProgress, OutboxProgress>();
        builder.Services.AddHostedService<SystemdWatchdogService>();
        return builder;
    }
}
