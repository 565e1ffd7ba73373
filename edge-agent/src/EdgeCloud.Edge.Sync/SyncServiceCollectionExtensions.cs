using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Sync;

/// <summary>Registers the hub link.</summary>
public static class SyncServiceCollectionExtensions
{
    /// <summary>Adds the sync service and its status.</summary>
    public static IHostApplicationBuilder AddHubSync(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SyncStatus>();
        builder.Services.AddHostedService<SyncService>();
        return builder;
    }
}
