using System.Security.Claims;

namespace EdgeCloud.Hub.Api.Access;

/// <summary>Every caller sees every agent: the API without the fleet module (tests of the API alone).</summary>
internal sealed class UnrestrictedAgentScope : IAgentScope
{
    public ValueTask<IReadOnlySet<string>?> VisibleAgentsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlySet<string>?>(null);
}
