using System.Text.Json;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Storage.Retention;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Retention;

/// <summary>
/// The fleet registry's answer to the retention job (<see cref="IAgentRetentionPolicies"/>): each agent's
/// tenant and labels matched against the configured policies and its tenant's policies set through the API.
/// Read fresh on every call, so a policy or label change applies at the next pass on every replica.
/// </summary>
internal sealed class FleetRetentionPolicies(IFleetStore store, IOptions<RetentionOptions> options) : IAgentRetentionPolicies
{
    /// <summary>How API policies are stored (fleet store, one JSON array per tenant).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask<IReadOnlyDictionary<string, RetentionTiers>> ResolveAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        var defaults = RetentionTiers.DefaultsOf(options.Value);
        var wanted = agentIds.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, RetentionTiers>(StringComparer.Ordinal);
        foreach (var tenant in await store.ListTenantsAsync(cancellationToken))
        {
            var agents = (await store.ListAgentsAsync(tenant.Id, cancellationToken)).Where(a => wanted.Contains(a.AgentId)).ToList();
            if (agents.Count == 0)
            {
                continue;
            }

            var policies = await PoliciesOfAsync(tenant.Id, cancellationToken);
            foreach (var agent in agents)
            {
                result[agent.AgentId] = EffectiveRetention.Resolve(defaults, policies, agent.Tenant, agent.Labels).Tiers;
            }
        }

        // Agents the registry does not know (a development hub without enrollment): the defaults.
        foreach (var agentId in wanted.Where(id => !result.ContainsKey(id)))
        {
            result[agentId] = defaults;
        }

        return result;
    }

    /// <summary>The effective policy of one enrolled agent, with the source of each tier.</summary>
    public async Task<EffectiveRetention> EffectiveAsync(FleetAgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var policies = await PoliciesOfAsync(agent.Tenant, cancellationToken);
        return EffectiveRetention.Resolve(RetentionTiers.DefaultsOf(options.Value), policies, agent.Tenant, agent.Labels);
    }

    /// <summary>The tenant's policies set through the API, in the order they were given.</summary>
    public async Task<IReadOnlyList<TenantRetentionPolicy>> TenantPoliciesAsync(string tenant, CancellationToken cancellationToken) =>
        await store.GetRetentionPoliciesAsync(tenant, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<List<TenantRetentionPolicy>>(json, Json) ?? []
            : [];

    /// <summary>The configured policies and <paramref name="tenant"/>'s API policies (their tenant being theirs).</summary>
    private async Task<List<RetentionPolicy>> PoliciesOfAsync(string tenant, CancellationToken cancellationToken)
    {
        var policies = options.Value.Policies.Select((p, i) => new RetentionPolicy(
            Blank(p.Tenant), Blank(p.Label), p.RawDays, p.MinuteDays, p.HourDays, $"configuration {RetentionOptions.SectionName}:Policies:{i}")).ToList();
        var fromApi = await TenantPoliciesAsync(tenant, cancellationToken);
        policies.AddRange(fromApi.Select((p, i) => new RetentionPolicy(tenant, Blank(p.Label), p.RawDays, p.MinuteDays, p.HourDays, $"api tenant {tenant} policies[{i}]")));
        return policies;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
