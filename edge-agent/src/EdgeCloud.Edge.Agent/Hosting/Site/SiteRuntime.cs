using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus;
using EdgeCloud.Edge.Models;
using EdgeCloud.Edge.Mqtt;
using EdgeCloud.Edge.OpcUa;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Rules.Hosting;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The "site" part of the agent, built from one site config: sources (Modbus, serial line, OPC UA, MQTT),
/// rules and alarms, models, and their point stages, in a host of their own. It shares with the agent only
/// what outlives a config change: the pipeline (through a counting <see cref="SiteSink"/>), the outbox, time,
/// logging and the metrics scope. Stopping it stops its sources and flushes its alarm journal into the
/// outbox; the outbox, the batcher and the hub link never stop. Built once, started once, stopped once.
/// </summary>
internal sealed class SiteRuntime : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly SiteMeterFactory _meters;

    private SiteRuntime(IHost host, SiteMeterFactory meters, AgentConfig config, string version, SiteSink sink)
    {
        (_host, _meters, Config, Version, Sink) = (host, meters, config, version, sink);
    }

    /// <summary>The agent config with this site in it.</summary>
    public AgentConfig Config { get; }

    /// <summary>The config version (the hub's, or <see cref="SiteSupervisor.LocalVersion"/>).</summary>
    public string Version { get; }

    /// <summary>What this site's devices delivered.</summary>
    public SiteSink Sink { get; }

    /// <summary>The site's point stages, in registration order; empty until started.</summary>
    public IReadOnlyList<IPointStage> Stages { get; private set; } = [];

    /// <summary>The site's services (tag writers, for the write-tag command).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Fires when the site's host begins to stop, whoever stops it (a source that crashed stops its host).</summary>
    public CancellationToken Stopping => _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    /// <summary>
    /// Builds the site's container and validates its options, while the running site still runs. Services
    /// are constructed only by <see cref="StartAsync"/>, after the running site stopped: the alarm manager
    /// loads the alarm journal then, with everything the stopped site flushed into it.
    /// </summary>
    public static SiteRuntime Build(AgentConfig agent, SiteConfig site, string version, IServiceProvider root)
    {
        var config = agent with { Site = site };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "edge-agent-site",
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddConfiguration(root.GetRequiredService<IConfiguration>());
        var meters = new SiteMeterFactory(root.GetRequiredService<IMeterFactory>());
        var sink = new SiteSink(root.GetRequiredService<IPointSink>(), site);
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(root.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostLifetime, SiteHostLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IMeterFactory>(meters);
        services.AddSingleton(root.GetRequiredService<TimeProvider>());
        services.AddSingleton(root.GetRequiredService<IClockStatus>());
        services.AddSingleton(root.GetRequiredService<IOutbox>());
        services.AddSingleton<IPointSink>(sink);
        services.AddSingleton(config);
        services.AddSingleton(site);

        // The order of AgentHost before sites were swappable: stages run, and hosted services start, in it.
        builder.AddRules();
        builder.AddModbusSources();
        builder.AddModels();
        builder.AddMqtt();
        builder.AddOpcUaSources();

        var host = builder.Build();
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            return new SiteRuntime(host, meters, config, version, sink);
        }
        catch
        {
            host.Dispose();
            meters.Dispose();
            throw;
        }
    }

    /// <summary>Constructs and starts the site's services in order; throws when one fails (the caller stops and disposes the site).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Stages = [.. _host.Services.GetServices<IPointStage>()];
        await _host.StartAsync(cancellationToken);
    }

    /// <summary>Stops the sources, then the rest, in reverse order: the alarm journal flushes into the outbox last.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _host.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        _meters.Dispose();
    }
}
