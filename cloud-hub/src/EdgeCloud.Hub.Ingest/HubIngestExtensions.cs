using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Ingest.Security;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Ingest;

/// <summary>Registers and maps the agents' sync service (gRPC FleetSync) and the registry of connected agents.</summary>
public static class HubIngestExtensions
{
    /// <summary>Adds gRPC, <see cref="HubIngestOptions"/>, the connection registry (as <see cref="IAgentPresence"/>) and metrics.</summary>
    public static IHostApplicationBuilder AddHubIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrpc(grpc =>
        {
            // Our refusals carry their reason in the status; other failures stay opaque to the agent.
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddOptions<HubIngestOptions>()
            .BindConfiguration(HubIngestOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The size contract (docs/sync.md): set here rather than left at gRPC's default (4 MiB), so that the
        // limit the hub enforces is the one it tells agents in Welcome.max_message_bytes.
        builder.Services.AddOptions<GrpcServiceOptions>()
            .Configure<IOptions<HubIngestOptions>>((grpc, ingest) => grpc.MaxReceiveMessageSize = ingest.Value.MaxReceiveMessageBytes);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<IAgentPresence>(services => services.GetRequiredService<ConnectionRegistry>());
        builder.Services.AddSingleton<IAgentSessions>(services => services.GetRequiredService<ConnectionRegistry>());
        builder.Services.TryAddSingleton<IAgentAuthenticator, OpenAgentAuthenticator>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<Live.LatestValues>();
        builder.Services.AddSingleton<Live.AlarmEventFeed>();
        builder.Services.AddOptions<Live.Relay.LiveRelayOptions>()
            .BindConfiguration(Live.Relay.LiveRelayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new Live.Relay.LiveRelay(
            services.GetRequiredService<Storage.Replicas.IReplicaBus>(),
            services.GetRequiredService<Live.LatestValues>(),
            services.GetRequiredService<Live.AlarmEventFeed>(),
            services.GetRequiredService<ConnectionRegistry>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Live.Relay.LiveRelayOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Live.Relay.LiveRelay>>(),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<Live.Relay.LiveRelay>());
        return builder;
    }

    /// <summary>Maps the FleetSync gRPC service.</summary>
    public static IEndpointRouteBuilder MapHubIngest(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<FleetSyncService>();
        return endpoints;
    }
}
