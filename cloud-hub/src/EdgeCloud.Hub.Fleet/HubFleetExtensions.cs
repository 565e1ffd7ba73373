using System.Threading.RateLimiting;
using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Endpoints;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Operations;
using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Retention;
using EdgeCloud.Hub.Fleet.Rollouts;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Fleet.Storage.Postgres;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Ingest.Security;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Retention;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet;

/// <summary>
/// Registers and maps fleet identity and access: the CA, mTLS on the Kestrel endpoint named <c>Sync</c>,
/// the agent certificate check of every sync stream, API keys and JWTs, role policies, the fallback policy
/// that closes every /api route, tenant scoping, per-client rate limits, and the fleet routes.
/// </summary>
public static class HubFleetExtensions
{
    private const string FleetScheme = "Fleet";

    /// <summary>Adds the fleet services; call after the storage, ingest and API registrations.</summary>
    public static WebApplicationBuilder AddHubFleet(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FleetPaths>();
        AddStores(services, builder.Configuration);
        AddReplicas(services);
        services.AddSingleton<ConfigService>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<IAgentStreamObserver, FleetStreamObserver>();
        services.AddSingleton(s => HubCertificateAuthority.LoadOrCreate(
            s.GetRequiredService<FleetPaths>().Folder, s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<HubCertificateAuthority>>()));
        services.AddSingleton<SyncServerCertificate>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<EnrollmentService>();
        services.AddSingleton<JwtIssuer>();
        services.AddSingleton<IAgentScope, TenantAgentScope>();

        // The retention job (storage) asks the registry for each agent's tiers through its own seam.
        services.AddSingleton<FleetRetentionPolicies>();
        services.AddSingleton<IAgentRetentionPolicies>(s => s.GetRequiredService<FleetRetentionPolicies>());
        if (ModeOf(builder.Configuration) == FleetSecurityMode.Mtls)
        {
            // Otherwise the ingest module's default stays: every claimed agent id is believed (development only).
            services.AddSingleton<IAgentAuthenticator, FleetAgentAuthenticator>();
        }

        services.AddHostedService<FleetInitializer>();

        // After the initializer: the coordinator's first heartbeat and the scheduler's first step need the migrated schema.
        services.AddHostedService<ReplicaCoordinator>();
        AddRollouts(services);

        AddAuthentication(services);
        AddRateLimits(services, builder.Configuration);
        ConfigureSyncEndpoint(builder);
        return builder;
    }

    /// <summary>Authentication, authorization, rate limits and tenant scoping; call before the API is mapped.</summary>
    public static WebApplication UseHubFleet(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<AgentScopeMiddleware>();
        var api = app.MapGroup("/api/v1").AddEndpointFilter<FleetProblemFilter>().WithTags("Fleet");
        IdentityEndpoints.Map(api);
        AccessEndpoints.Map(api);
        RegistryEndpoints.Map(api);
        RetentionEndpoints.Map(api);
        OperationsEndpoints.Map(api);
        PresenceEvents.Map(api);
        var rollouts = app.MapGroup("/api/v1").AddEndpointFilter<FleetProblemFilter>().AddEndpointFilter<ArtifactProblemFilter>().WithTags("Rollouts");
        ArtifactEndpoints.Map(rollouts);
        CampaignEndpoints.Map(rollouts);
        return app;
    }

    /// <summary>The fleet store follows the telemetry store's provider: PostgreSQL (shared by replicas) or SQLite <c>fleet.db</c>.</summary>
    private static void AddStores(IServiceCollection services, ConfigurationManager configuration)
    {
        var storage = configuration.GetSection(HubStorageOptions.SectionName).Get<HubStorageOptions>() ?? new HubStorageOptions();
        if (storage.Provider == StorageProvider.Postgres)
        {
            services.AddSingleton(s => new PostgresFleetStore(s.GetRequiredService<IOptions<HubStorageOptions>>().Value.ConnectionString!, s.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IFleetStore>(s => s.GetRequiredService<PostgresFleetStore>());
            services.AddSingleton<IFleetOperationsStore>(s => s.GetRequiredService<PostgresFleetStore>());
            services.AddSingleton<IReplicaPresenceStore>(s => s.GetRequiredService<PostgresFleetStore>());
            services.AddSingleton<IRolloutStore>(s => s.GetRequiredService<PostgresFleetStore>());
        }
        else
        {
            services.AddSingleton(s => new SqliteFleetStore(s.GetRequiredService<FleetPaths>().Database));
            services.AddSingleton<IFleetStore>(s => s.GetRequiredService<SqliteFleetStore>());
            services.AddSingleton<IFleetOperationsStore>(s => s.GetRequiredService<SqliteFleetStore>());
            services.AddSingleton<IRolloutStore>(s => s.GetRequiredService<SqliteFleetStore>());
            services.AddSingleton<IReplicaPresenceStore, SingleHubPresenceStore>();
        }
    }

    /// <summary>Presence across replicas (replacing the ingest module's local view) and the coordinator that routes hints.</summary>
    private static void AddReplicas(IServiceCollection services)
    {
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClusterPresence>();
        services.AddSingleton<IAgentPresence>(s => s.GetRequiredService<ClusterPresence>());
        services.AddSingleton<ReplicaHints>();
    }

    /// <summary>Release keys, artifacts and campaigns (docs/rollouts.md): the store is the fleet store (see AddStores), the scheduler one per hub.</summary>
    private static void AddRollouts(IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArtifactService>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<CampaignScheduler>();
        services.AddHostedService(s => s.GetRequiredService<CampaignScheduler>());
        services.AddSingleton<IAgentStreamObserver, RolloutStreamObserver>();
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(FleetScheme)
            .AddPolicyScheme(FleetScheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtIssuer>((o, issuer) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = issuer.ValidationParameters();
        });
        services.AddSingleton<IAuthorizationHandler, ApiRouteRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(FleetRoles.ViewerPolicy, p => p.RequireRole(FleetRoles.Viewer, FleetRoles.Operator, FleetRoles.Admin))
            .AddPolicy(FleetRoles.OperatorPolicy, p => p.RequireRole(FleetRoles.Operator, FleetRoles.Admin))
            .AddPolicy(FleetRoles.AdminPolicy, p => p.RequireRole(FleetRoles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new ApiRouteRequirement()).Build());
    }

    private static void AddRateLimits(IServiceCollection services, ConfigurationManager configuration)
    {
        var perMinute = configuration.GetSection(FleetOptions.SectionName).Get<FleetOptions>()?.RequestsPerMinute ?? new FleetOptions().RequestsPerMinute;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                // Per user once authenticated; before that (enrollment, bad keys) per remote address.
                var client = context.User.FindFirst(FleetClaims.Subject)?.Value is { } user ? "user:" + user : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
    }

    private static void ConfigureSyncEndpoint(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            if (ModeOf(context.Configuration) != FleetSecurityMode.Mtls)
            {
                return;
            }

            kestrel.Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false).Endpoint("Sync", endpoint =>
            {
                if (!endpoint.IsHttps)
                {
                    throw new InvalidOperationException(
                        "Fleet:Mode is Mtls, so Kestrel:Endpoints:Sync:Url must be an https:// address (for cleartext on a developer's machine set Fleet:Mode=InsecureDevelopment)");
                }

                var certificates = kestrel.ApplicationServices.GetRequiredService<SyncServerCertificate>();
                endpoint.HttpsOptions.ServerCertificateSelector = (_, _) => certificates.Current;
                endpoint.HttpsOptions.ClientCertificateMode = ClientCertificateMode.RequireCertificate;

                // Accepted at TLS level on purpose: the stream handler checks it against the CA and the
                // registry and can then tell the agent exactly why it is refused.
                endpoint.HttpsOptions.ClientCertificateValidation = (_, _, _) => true;
            });
        });

    private static FleetSecurityMode ModeOf(IConfiguration configuration) =>
        configuration.GetSection(FleetOptions.SectionName).Get<FleetOptions>()?.Mode ?? FleetSecurityMode.Mtls;
}
