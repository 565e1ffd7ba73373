namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>A single-use enrollment token as stored: only the SHA-256 of the secret, never the secret.</summary>
/// <param name="Hash">Hex SHA-256 of the token text.</param>
/// <param name="Id">Public id of the token (for the audit log and listing).</param>
/// <param name="Tenant">The tenant an agent enrolled with it joins.</param>
/// <param name="Labels">Labels the enrolled agent gets.</param>
/// <param name="ExpiresAt">After this the token is refused.</param>
/// <param name="UsedAt">When it was used (then refused ever after), or null.</param>
/// <param name="CreatedBy">User id that made it.</param>
public sealed record EnrollmentTokenRecord(
    string Hash, string Id, string Tenant, IReadOnlyList<string> Labels, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, string CreatedBy);
