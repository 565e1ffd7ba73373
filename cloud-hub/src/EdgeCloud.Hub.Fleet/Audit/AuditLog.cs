using System.Security.Claims;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Storage;

namespace EdgeCloud.Hub.Fleet.Audit;

/// <summary>Appends audit entries with the hub's time; the one way fleet code records a change or a refused change.</summary>
internal sealed class AuditLog(IFleetStore store, TimeProvider time)
{
    public const string Ok = "ok";
    public const string Refused = "refused";

    public Task<AuditEntry> RecordAsync(string actor, string tenant, string action, string target, string result, string? detail, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(new AuditEntry(0, time.GetUtcNow(), actor, tenant, action, target, result, detail), cancellationToken);

    public Task<AuditEntry> RecordAsync(ClaimsPrincipal caller, string action, string target, string result, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(FleetClaims.ActorOf(caller), FleetClaims.TenantOf(caller) ?? FleetOptions.RootTenant, action, target, result, detail, cancellationToken);
}
