namespace EdgeCloud.Hub.Ingest.Security;

/// <summary>
/// Accepts every agent id without a certificate: the hub's insecure development mode (cleartext sync on a
/// trusted network). The fleet module replaces it with certificate checks in the secure mode.
/// </summary>
internal sealed class OpenAgentAuthenticator : IAgentAuthenticator
{
    public ValueTask<AgentAuthentication> AuthenticateAsync(
        string claimedAgentId, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AgentAuthentication.Accept);
}
