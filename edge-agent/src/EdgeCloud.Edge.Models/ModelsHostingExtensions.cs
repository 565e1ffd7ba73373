using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Edge.Models;

/// <summary>Registers the models component: the watched folder, the input stage and the runner loop.</summary>
public static class ModelsHostingExtensions
{
    /// <summary>
    /// Adds ONNX models to the agent. Needs <see cref="AgentConfig"/> and <see cref="SiteConfig"/> in
    /// the container and the pipeline's <see cref="IPointSink"/>; call after <c>AddOutbox</c> so that
    /// the runner stops before the batcher (hosted services stop in reverse order). Settings other
    /// than the folder may be overridden from the <c>Models</c> configuration section.
    /// </summary>
    public static IHostApplicationBuilder AddModels(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMetrics();
        services.AddOptions<ModelsOptions>()
            .BindConfiguration("Models")
            .Configure<AgentConfig>((o, config) => o.Directory = config.ModelsDirectory)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ModelsOptions>>().Value);
        services.AddSingleton<ModelMetrics>();
        services.AddSingleton(sp => new SiteTagCatalog(sp.GetRequiredService<SiteConfig>()));
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelInputStage>();
        services.AddSingleton<IPointStage>(sp => sp.GetRequiredService<ModelInputStage>());
        services.AddSingleton<ModelFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelFolderWatcher>());
        services.AddHostedService<ModelRunnerService>();
        return builder;
    }
}
