using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet;

/// <summary>
/// Before the hub listens: opens <c>fleet.db</c>, makes or loads the CA, ensures the default tenant, and on a
/// hub without users creates the bootstrap admin (tenant <c>default</c>, user <c>admin</c>) whose API key is
/// <see cref="FleetOptions.BootstrapAdminKey"/> or a random one logged once.
/// </summary>
internal sealed partial class FleetInitializer(
    IFleetStore store,
    HubCertificateAuthority ca,
    AuditLog audit,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FleetInitializer> logger) : IHostedService
{
    private const string BootstrapUser = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var now = time.GetUtcNow();
        await store.CreateTenantAsync(new TenantRecord(FleetOptions.RootTenant, "Default tenant", now), cancellationToken);
        var configured = options.Value.BootstrapAdminKey;
        if (!await store.AnyUserAsync(cancellationToken))
        {
            await store.CreateUserAsync(new UserRecord(BootstrapUser, FleetOptions.RootTenant, "Bootstrap admin", FleetRoles.Admin, now), cancellationToken);
            var key = configured is { Length: > 0 } ? configured : Secrets.New(Secrets.ApiKeyPrefix);
            var hash = Secrets.Hash(key);
            await store.AddApiKeyAsync(hash, Secrets.PublicId(hash), BootstrapUser, now, cancellationToken);
            await audit.RecordAsync("system", FleetOptions.RootTenant, "user.create", BootstrapUser, AuditLog.Ok, "bootstrap admin", cancellationToken);
            if (configured is not { Length: > 0 })
            {
                LogBootstrapKey(logger, key);
            }
        }
        else if (configured is { Length: > 0 } && await store.FindUserByApiKeyAsync(Secrets.Hash(configured), cancellationToken) is null)
        {
            LogBootstrapKeyIgnored(logger);
        }

        if (options.Value.Mode == FleetSecurityMode.InsecureDevelopment)
        {
            LogInsecure(logger);
        }
        else
        {
            LogSecure(logger, ca.Certificate.Thumbprint);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning,
        Message = "Fresh hub: created the bootstrap admin (tenant 'default', user 'admin'). Its API key, shown only now: {ApiKey}  (send it as the X-Api-Key header)")]
    private static partial void LogBootstrapKey(ILogger logger, string apiKey);

    [LoggerMessage(EventId = 7503, Level = LogLevel.Warning, Message = "Fleet:BootstrapAdminKey is set but ignored: this hub has users already")]
    private static partial void LogBootstrapKeyIgnored(ILogger logger);

    [LoggerMessage(EventId = 7504, Level = LogLevel.Warning,
        Message = "Fleet:Mode is InsecureDevelopment: agents sync in cleartext without certificates and API callers without credentials act as the default tenant's admin. Never use this outside a developer's machine.")]
    private static partial void LogInsecure(ILogger logger);

    [LoggerMessage(EventId = 7505, Level = LogLevel.Information, Message = "Fleet security: mTLS on the sync endpoint with CA {Thumbprint}; API keys and JWTs on the API")]
    private static partial void LogSecure(ILogger logger, string thumbprint);
}
