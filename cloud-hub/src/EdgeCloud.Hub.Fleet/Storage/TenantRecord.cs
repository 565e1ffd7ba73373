namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>A tenant: the unit of isolation. Every agent, user, token and audit entry belongs to exactly one.</summary>
/// <param name="Id">Tenant id (a name: letters, digits, '-', '_', '.').</param>
/// <param name="Name">Display name.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record TenantRecord(string Id, string Name, DateTimeOffset CreatedAt);
