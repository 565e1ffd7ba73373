using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Outbox.Store;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox;

/// <summary>Registers the point pipeline, the batcher and the LiteDB outbox.</summary>
public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox. Call before adding sources: hosted services stop in reverse order, so the
    /// sources stop first and the batcher can still make their last points durable.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMetrics();
        builder.Services.AddClockStatus();
        builder.Services.AddSingleton<PointPipeline>();
        builder.Services.AddSingleton<IPointSink>(sp => sp.GetRequiredService<PointPipeline>());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<AgentConfig>().Outbox);
        builder.Services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<AgentConfig>();
            return new OutboxOptions
            {
                Directory = Path.Combine(config.DataDirectory, "outbox"),
                MaxBytes = config.Outbox.MaxBytes,
                TelemetryTtl = config.Outbox.TelemetryTtl,
                EventTtl = config.Outbox.EventTtl,
                CompactWindowSeconds = config.Outbox.CompactWindowSeconds,
                MemoryTailBytes = config.Outbox.MemoryTailBytes,
                // Segments are released whole: keep them small against the budget, so that
                // dropping the oldest batches gives disk space back at once.
                JournalSegmentBytes = Math.Clamp(config.Outbox.MaxBytes / 16, 64 * 1024, 4 * 1024 * 1024),
            };
        });
        builder.Services.AddSingleton<IOutbox>(sp => new LiteDbOutbox(
            sp.GetRequiredService<OutboxOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LiteDbOutbox>>()));
        // The stages registered in this container run after those of a live-swapped site (the agent's SiteSupervisor).
        builder.Services.AddSingleton(sp => new PointStages(sp.GetServices<IPointStage>()));
        builder.Services.AddHostedService<BatchingService>();
        return builder;
    }
}
