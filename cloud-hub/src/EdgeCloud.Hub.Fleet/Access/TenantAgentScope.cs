using System.Security.Claims;
using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Strict tenant isolation: a caller sees exactly the agents enrolled in its own tenant (none when it has
/// no tenant). In <see cref="FleetSecurityMode.InsecureDevelopment"/> agents connect without enrolling, so
/// every caller sees every agent there.
/// </summary>
internal sealed class TenantAgentScope(IFleetStore store, IOptions<FleetOptions> options) : IAgentScope
{
    public async ValueTask<IReadOnlySet<string>?> VisibleAgentsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (options.Value.Mode == FleetSecurityMode.InsecureDevelopment)
        {
            return null;
        }

        var tenant = FleetClaims.TenantOf(caller);
        if (tenant is null)
        {
            return new HashSet<string>();
        }

        var agents = await store.ListAgentsAsync(tenant, cancellationToken);
        return agents.Select(a => a.AgentId).ToHashSet(StringComparer.Ordinal);
    }
}
