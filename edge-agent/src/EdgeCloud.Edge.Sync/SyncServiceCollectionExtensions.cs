using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Sync.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Sync;

/// <summary>Registers the hub link.</summary>
public static class SyncServiceCollectionExtensions
{
    /// <summary>Adds the sync service, its status, the agent's identity (mTLS) and its certificate renewal.</summary>
    public static IHostApplicationBuilder AddHubSync(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SyncStatus>();
        builder.Services.AddSingleton<LiveValues>();
        builder.Services.TryAddSingleton<RolloutReports>();
        builder.Services.TryAddSingleton<IAgentHealthCounters, NoHealthCounters>();
        builder.Services.TryAddSingleton<IRunningVersion, AssemblyVersion>();
        builder.Services.TryAddSingleton<AgentIdentity>();
        builder.Services.TryAddSingleton<SiteConfigStore>();
        builder.Services.TryAddSingleton<HubDirectives>();
        builder.Services.AddHostedService<CertificateRenewalService>();
        builder.Services.AddHostedService<SyncService>();
        return builder;
    }

    /// <summary>Zero counters, for a host that registers none.</summary>
    private sealed class NoHealthCounters : IAgentHealthCounters
    {
        public ulong PointsProduced => 0;

        public ulong PollErrors => 0;

        public ulong InferenceErrors => 0;
    }

    /// <summary>This assembly's version, for a host without the update component.</summary>
    private sealed class AssemblyVersion : IRunningVersion
    {
        public string Version { get; } = typeof(SyncService).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    }

    /// <summary>
    /// Registers the live lane's stage. Called after every other stage is registered, so that
    /// derived tags (rules, models) reach the live lane too.
    /// </summary>
    public static IHostApplicationBuilder AddLiveLane(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IPointStage>(sp => sp.GetRequiredService<LiveValues>());
        return builder;
    }
}
