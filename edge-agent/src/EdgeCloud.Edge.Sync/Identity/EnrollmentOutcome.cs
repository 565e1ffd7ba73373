using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>A certificate the hub issued, already stored: the credential (with its key), the hub CA and the agent's tenant.</summary>
/// <param name="Credential">Certificate with private key.</param>
/// <param name="Ca">The hub CA certificate.</param>
/// <param name="Tenant">The tenant the agent belongs to.</param>
public sealed record EnrollmentOutcome(X509Certificate2 Credential, X509Certificate2 Ca, string Tenant);
