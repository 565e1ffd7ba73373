namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// The seam through which the retention job learns each agent's tiers (per-tenant and per-label policies),
/// implemented by the fleet registry so that storage never depends on it. Without one, every agent gets the
/// defaults of <see cref="RetentionOptions"/>.
/// </summary>
public interface IAgentRetentionPolicies
{
    /// <summary>
    /// The effective tiers of each of <paramref name="agentIds"/>; an agent the registry does not know gets
    /// the defaults. Every id asked for is in the result.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, RetentionTiers>> ResolveAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken);
}
