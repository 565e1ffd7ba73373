using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync.Directives;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>Registers the site supervisor: the swappable site part of the agent and its revert watch.</summary>
internal static class SiteHostingExtensions
{
    /// <summary>
    /// Adds it; call after the outbox and the hub sync, so that it stops first (hosted services stop in
    /// reverse): the site's sources stop, then the batcher makes their last points durable.
    /// <paramref name="local"/> is the site config of the local agent.json.
    /// </summary>
    public static IHostApplicationBuilder AddSiteSupervisor(this IHostApplicationBuilder builder, SiteConfig local)
    {
        builder.Services.AddOptions<LiveConfigOptions>().BindConfiguration("LiveConfig").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(new LocalSiteConfig(local));
        builder.Services.AddSingleton<SiteSupervisor>();
        builder.Services.AddSingleton<ISiteConfigApplier>(sp => sp.GetRequiredService<SiteSupervisor>());
        builder.Services.AddSingleton<ISiteServices, SupervisedSiteServices>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SiteSupervisor>());
        return builder;
    }
}
