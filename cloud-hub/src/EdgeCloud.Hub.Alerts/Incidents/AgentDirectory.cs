using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Fleet.Storage;

namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// The tenant and labels of an agent, from the fleet registry. An agent that never enrolled (development mode,
/// where agents connect without certificates) belongs to the root tenant and has no labels.
/// </summary>
internal sealed class AgentDirectory(IFleetStore fleet)
{
    public async Task<(string Tenant, IReadOnlyList<string> Labels)> LookupAsync(string agentId, CancellationToken cancellationToken) =>
        await fleet.GetAgentAsync(agentId, cancellationToken) is { } agent ? (agent.Tenant, agent.Labels) : (FleetOptions.RootTenant, []);
}
