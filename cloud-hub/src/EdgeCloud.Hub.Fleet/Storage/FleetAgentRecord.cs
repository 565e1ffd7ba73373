namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>An enrolled agent in the registry: its tenant, labels, groups and current certificate.</summary>
/// <param name="AgentId">Agent id, unique on the hub (the certificate's subject).</param>
/// <param name="Tenant">The tenant; set at enrollment from the token, never changed through the API.</param>
/// <param name="Labels">Free labels (<c>site=berlin</c>, <c>line-3</c>).</param>
/// <param name="Groups">Groups the agent belongs to (config and command targets).</param>
/// <param name="CertificateSerial">Serial of the newest certificate issued to it.</param>
/// <param name="CertificateThumbprint">SHA-1 thumbprint of that certificate (read-only through the API).</param>
/// <param name="CertificateNotAfter">When that certificate expires.</param>
/// <param name="EnrolledAt">When it enrolled.</param>
/// <param name="RevokedAt">When it was revoked (its certificates are refused ever after), or null.</param>
public sealed record FleetAgentRecord(
    string AgentId,
    string Tenant,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Groups,
    string CertificateSerial,
    string CertificateThumbprint,
    DateTimeOffset CertificateNotAfter,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? RevokedAt);
