using System.Security.Claims;

namespace EdgeCloud.Hub.Api.Access;

/// <summary>
/// Which agents an API caller may see: every query that lists or reads agents or their telemetry filters by
/// it, and a route naming an agent outside it answers as if the agent did not exist.
/// </summary>
public interface IAgentScope
{
    /// <summary>The agent ids <paramref name="caller"/> may see, or null when it may see every agent (insecure development mode).</summary>
    ValueTask<IReadOnlySet<string>?> VisibleAgentsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken);
}
