namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>A release public key a tenant registered: artifacts of that tenant must be signed by one of its keys.</summary>
/// <param name="Id">Lower-case hex SHA-256 of the key's DER SubjectPublicKeyInfo.</param>
/// <param name="Tenant">The tenant that registered it.</param>
/// <param name="Name">A name the admin chose.</param>
/// <param name="PublicKeyPem">The key, PEM SubjectPublicKeyInfo (ECDSA P-256).</param>
/// <param name="CreatedBy">The admin who registered it.</param>
/// <param name="CreatedAt">When.</param>
public sealed record ReleaseKeyRecord(string Id, string Tenant, string Name, string PublicKeyPem, string CreatedBy, DateTimeOffset CreatedAt);
