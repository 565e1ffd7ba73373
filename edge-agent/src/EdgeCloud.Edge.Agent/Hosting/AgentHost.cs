using EdgeCloud.Edge.Agent.Hosting.Commands;
using EdgeCloud.Edge.Agent.Hosting.Rollouts;
using EdgeCloud.Edge.Agent.Hosting.Systemd;
using EdgeCloud.Edge.Agent.Status;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus;
using EdgeCloud.Edge.Models;
using EdgeCloud.Edge.Mqtt;
using EdgeCloud.Edge.OpcUa;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Rules.Hosting;
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
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Site);

        // Order matters: hosted services stop in reverse, so sources stop before the batcher,
        // which then makes their last points durable.
        builder.AddOutbox();
        builder.AddRules();
        builder.AddHubSync();
        builder.AddHubCommands();
        builder.AddUpdates();
        builder.AddModbusSources();
        builder.AddModels();
        builder.AddMqtt();
        builder.AddOpcUaSources();
        builder.AddSystemdWatchdog();
        builder.AddStatusEndpoint();
        builder.AddRolloutSeams();

        // Last: the live lane sees every point, derived ones included.
        builder.AddLiveLane();
        return builder;
    }
}
