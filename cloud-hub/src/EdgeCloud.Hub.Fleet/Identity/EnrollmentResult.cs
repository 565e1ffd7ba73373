namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>What an agent receives when it enrolls or renews: its certificate, the CA to trust, and what the hub knows of it.</summary>
/// <param name="AgentId">The agent id the certificate names.</param>
/// <param name="Tenant">The agent's tenant.</param>
/// <param name="Labels">The agent's labels.</param>
/// <param name="Certificate">The agent certificate, PEM.</param>
/// <param name="CaCertificate">The hub CA certificate, PEM: the agent trusts the sync endpoint through it.</param>
/// <param name="NotAfter">When the certificate expires (ISO 8601).</param>
public sealed record EnrollmentResult(string AgentId, string Tenant, IReadOnlyList<string> Labels, string Certificate, string CaCertificate, string NotAfter);
