using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Security;

namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>
/// The secure mode's check of a sync stream: a client certificate issued by this hub's CA, within its
/// validity, naming the agent the Hello claims, issued to that agent (not replaced by a re-enrollment), and
/// the agent not revoked. Each refusal says which of these failed.
/// </summary>
internal sealed class FleetAgentAuthenticator(HubCertificateAuthority ca, IFleetStore store, TimeProvider time) : IAgentAuthenticator
{
    public async ValueTask<AgentAuthentication> AuthenticateAsync(string claimedAgentId, X509Certificate2? clientCertificate, CancellationToken cancellationToken)
    {
        if (clientCertificate is null)
        {
            return AgentAuthentication.Refuse("no client certificate: enroll the agent (edge-agent enroll --hub URL --token T) and connect over https");
        }

        var agentId = AgentCertificateCheck.Verify(ca, clientCertificate, time.GetUtcNow(), out var reason);
        if (agentId is null)
        {
            return AgentAuthentication.Refuse(reason!);
        }

        if (!string.Equals(agentId, claimedAgentId, StringComparison.Ordinal))
        {
            return AgentAuthentication.Refuse($"the client certificate belongs to agent '{agentId}', but the Hello claims agent '{claimedAgentId}'");
        }

        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        if (agent is null)
        {
            return AgentAuthentication.Refuse($"agent '{agentId}' is not enrolled on this hub");
        }

        if (agent.RevokedAt is { } revokedAt)
        {
            return AgentAuthentication.Refuse($"agent '{agentId}' was revoked at {revokedAt:O}");
        }

        var serial = AgentCertificateCheck.Serial(clientCertificate);
        return await store.IsCertificateOfAsync(agentId, serial, cancellationToken)
            ? AgentAuthentication.Accept
            : AgentAuthentication.Refuse($"certificate {serial} was not issued to agent '{agentId}' by this hub (it was enrolled again since)");
    }
}
