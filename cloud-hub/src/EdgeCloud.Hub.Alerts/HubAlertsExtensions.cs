using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Alerts.Incidents;
using EdgeCloud.Hub.Alerts.Rules;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Fleet.Endpoints;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts;

/// <summary>
/// Registers and maps hub alerts: the incident store (SQLite <c>alerts.db</c>, or the shared PostgreSQL), the
/// alarm-event feed, the escalation monitor, the hub-rule evaluator, notification delivery, and the
/// <c>/api/v1/incidents</c> and <c>/api/v1/alerts</c> routes.
/// </summary>
public static class HubAlertsExtensions
{
    /// <summary>Adds the alert services; call after the storage, ingest and fleet registrations.</summary>
    public static IHostApplicationBuilder AddHubAlerts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlertStore>(OpenStore);
        services.AddSingleton<IIncidentStore>(s => s.GetRequiredService<AlertStore>());
        services.AddSingleton<IAlertConfigStore>(s => s.GetRequiredService<AlertStore>());
        services.AddSingleton<RuleBook>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<IncidentChanges>();
        services.AddSingleton<AlertsMetrics>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(s => s.GetRequiredService<NotificationDispatcher>());
        services.AddSingleton<IncidentService>();
        services.AddSingleton<AlarmEventFeed>();
        services.AddSingleton<IAlarmsStoredListener>(s => s.GetRequiredService<AlarmEventFeed>());
        services.AddHostedService(s => s.GetRequiredService<AlarmEventFeed>());
        services.AddHostedService<IncidentMonitor>();
        services.AddSingleton<HubRuleEvaluator>();
        services.AddHostedService(s => s.GetRequiredService<HubRuleEvaluator>());
        return builder;
    }

    /// <summary>Maps the incident and alert routes; call after <c>UseHubFleet</c> (authentication, tenant scoping).</summary>
    public static WebApplication MapHubAlerts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/v1").AddEndpointFilter<FleetProblemFilter>().WithTags("Alerts");
        IncidentEndpoints.Map(api);
        AlertConfigEndpoints.Map(api);
        return app;
    }

    private static AlertStore OpenStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<HubStorageOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Opened (and migrated) once at first use, like the telemetry store: before the server listens, as the hosted services need it.
        return options.Provider == StorageProvider.Postgres
            ? PostgresAlertStore.OpenAsync(options.ConnectionString!, now, CancellationToken.None).GetAwaiter().GetResult()
            : SqliteAlertStore.OpenAsync(options.ResolveDataDirectory(services.GetRequiredService<IHostEnvironment>()), now, CancellationToken.None).GetAwaiter().GetResult();
    }
}
