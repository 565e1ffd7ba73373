using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Updates.Install;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Rollouts;

/// <summary>Connects rollouts to the rest of the agent: health counters from its metrics, model verdicts from the models folder.</summary>
internal static class RolloutSeamsExtensions
{
    /// <summary>Registers them; needs the status endpoint (its exporter) and the models component.</summary>
    public static IHostApplicationBuilder AddRolloutSeams(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IAgentHealthCounters, MetricHealthCounters>();
        builder.Services.AddSingleton<IModelLoadVerdicts, ModelFolderVerdicts>();
        return builder;
    }
}
