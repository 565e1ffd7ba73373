using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Slots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Updates.Hosting;

/// <summary>Registers rollouts: the directive handler and its loop, the A/B health gate and the status part.</summary>
public static class UpdatesHostingExtensions
{
    /// <summary>
    /// Adds the update component. Needs <see cref="AgentConfig"/>, the hub link (<c>AddHubSync</c>: its status,
    /// reports and identity) in the container.
    /// </summary>
    public static IHostApplicationBuilder AddUpdates(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<UpdateStatus>();
        services.AddSingleton(sp => new RunningBuild(sp.GetRequiredService<AgentConfig>().Updates.SlotsDirectory));

        // The Hello announces the running slot's version, as the rollout reports do (replaces the hub link's default).
        services.AddSingleton<IRunningVersion>(sp => sp.GetRequiredService<RunningBuild>());
        services.AddSingleton(sp => new ReleaseKeys(sp.GetRequiredService<AgentConfig>().Updates));
        services.AddSingleton<Func<HttpClient>>(sp => () => DownloadClient(sp.GetRequiredService<AgentConfig>(), sp.GetRequiredService<AgentIdentity>()));
        services.AddSingleton<RolloutService>();
        services.AddSingleton<IRolloutHandler>(sp => sp.GetRequiredService<RolloutService>());
        services.AddHostedService(sp => sp.GetRequiredService<RolloutService>());
        services.AddHostedService<TrialGate>();
        return builder;
    }

    /// <summary>
    /// A client for the hub's artifact route: the same mTLS identity as the sync stream; no overall timeout (the
    /// downloader times stalls itself). It names the agent in <c>X-Agent-Id</c>, as a hub in InsecureDevelopment
    /// mode needs (it believes the header like the Hello); a hub in mTLS mode goes by the certificate only.
    /// </summary>
    private static HttpClient DownloadClient(AgentConfig config, AgentIdentity identity)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = config.Hub.Url.Scheme == Uri.UriSchemeHttps ? identity.ClientOptions() : new(),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Agent-Id", config.AgentId);
        return client;
    }
}
