using EdgeCloud.Hub.Storage.InMemory;
using EdgeCloud.Hub.Storage.Postgres;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Storage;

/// <summary>Registers the hub's storage: <see cref="HubStorageOptions"/> and one <see cref="ITelemetryStore"/> singleton.</summary>
public static class HubStorageExtensions
{
    /// <summary>
    /// Adds <see cref="ITelemetryStore"/> (SQLite unless <c>Storage:Provider</c> says otherwise), validated
    /// options, and a start-up step that opens and migrates the database before the server listens.
    /// </summary>
    public static IHostApplicationBuilder AddHubStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HubStorageOptions>()
            .BindConfiguration(HubStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ITelemetryStore>(CreateStore);

        // The same object under its other seams; a store that lacks one fails where it is first needed.
        builder.Services.TryAddSingleton(services => Seam<ITelemetryRollups>(services));
        builder.Services.TryAddSingleton(services => Seam<ITelemetryRetention>(services));
        builder.Services.TryAddSingleton(services => Seam<Alarms.IAlarmEventStore>(services));
        builder.Services.AddHostedService<StorageInitializer>();

        // Messages between replicas: LISTEN/NOTIFY when they share PostgreSQL, in-process otherwise.
        builder.Services.TryAddSingleton<IReplicaBus>(services =>
        {
            var options = services.GetRequiredService<IOptions<HubStorageOptions>>().Value;
            return options.Provider == StorageProvider.Postgres
                ? new PostgresReplicaBus(options.ConnectionString!, services.GetRequiredService<ILogger<PostgresReplicaBus>>(), options.ReplicaBusReconnectDelay)
                : new InProcessReplicaBus();
        });
        builder.Services.AddHostedService<ReplicaBusHost>();
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        builder.Services.AddHostedService(services => new RetentionService(
            services.GetRequiredService<ITelemetryStore>() as ITelemetryRetention,
            services.GetRequiredService<IOptions<RetentionOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RetentionService>>(),
            services.GetRequiredService<ITelemetryStore>(),
            services.GetService<IAgentRetentionPolicies>()));
        return builder;
    }

    /// <summary>The data folder as an absolute path (a relative one is taken from the content root).</summary>
    public static string ResolveDataDirectory(this HubStorageOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        return Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.DataDirectory));
    }

    private static T Seam<T>(IServiceProvider services)
        where T : class
    {
        var store = services.GetRequiredService<ITelemetryStore>();
        return store as T ?? throw new InvalidOperationException($"the storage backend {store.GetType().Name} does not implement {typeof(T).Name}");
    }

    private static ITelemetryStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<HubStorageOptions>>().Value;
        return options.Provider switch
        {
            StorageProvider.InMemory => new InMemoryTelemetryStore(),
            StorageProvider.Postgres => PostgresTelemetryStore.Open(
                options.ConnectionString!,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<PostgresTelemetryStore>>()),
            _ => SqliteTelemetryStore.Open(
                options.ResolveDataDirectory(services.GetRequiredService<IHostEnvironment>()),
                options.BusyTimeout,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<SqliteTelemetryStore>>()),
        };
    }
}
