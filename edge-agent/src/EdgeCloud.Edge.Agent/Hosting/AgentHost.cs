using EdgeCloud.Edge.Agent.Hosting.Commands;
using EdgeCloud.Edge.Agent.Hosting.Journal;
using EdgeCloud.Edge.Agent.Hosting.Rollouts;
using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Agent.Hosting.Systemd;
using EdgeCloud.Edge.Agent.Status;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Updates.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Hosting;

/// <summary>
/// Composes the agent from an already validated <see cref="AgentConfig"/>: the config is loaded
/// and checked before any of this runs, so a bad file never half-starts the agent.
/// </summary>
public static class AgentHost
{
    /// <summary>Creates the host builder; the caller may add to it, then build and run it.</summary>
    public static HostApplicationBuilder CreateBuilder(AgentConfig config, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var local = config.Site;
        config = EdgeCloud.Edge.Sync.Directives.ManagedSiteConfig.Apply(config);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "edge-agent",
        });

        // Under systemd: sd_notify READY once every hosted service started (the outbox is open by
        // then), STOPPING on shutdown, and journal-friendly log lines.
        builder.Services.AddSystemd();
        if (JournalLoggerProvider.FromEnvironment() is { } journal)
        {
            // Under systemd with the journal: structured entries (DEVICE=, TAG=, EVENT_ID=) instead of text lines.
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(journal);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);

        // Order matters: hosted services stop in reverse, so the site (sources, rules, models: a
        // SiteRuntime of its own, swapped live by the supervisor) stops before the hub link and the
        // batcher, which then makes its last points durable.
        builder.AddOutbox();
        builder.AddHubSync();
        builder.AddHubCommands();
        builder.AddUpdates();
        builder.AddSiteSupervisor(local);
        builder.AddSystemdWatchdog();
        builder.AddStatusEndpoint();
        builder.AddRolloutSeams();

        // Last: the live lane sees every point, derived ones included.
        builder.AddLiveLane();
        return builder;
    }
}
