using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Hub.Ingest.Security;

/// <summary>
/// Decides whether a sync stream may speak for the agent id its Hello claims, from the client certificate
/// the TLS handshake presented (null on a cleartext stream). Called once per stream, after the Hello and
/// before the Welcome; a refusal ends the stream with its reason and no data is read from it.
/// </summary>
public interface IAgentAuthenticator
{
    /// <summary>Accepts or refuses <paramref name="claimedAgentId"/> on a stream that presented <paramref name="clientCertificate"/>.</summary>
    ValueTask<AgentAuthentication> AuthenticateAsync(string claimedAgentId, X509Certificate2? clientCertificate, CancellationToken cancellationToken);
}
