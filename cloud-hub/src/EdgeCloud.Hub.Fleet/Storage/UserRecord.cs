namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>A user of one tenant with one role (<see cref="Access.FleetRoles"/>).</summary>
/// <param name="Id">User id, unique on the hub.</param>
/// <param name="Tenant">The tenant; never changes.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">admin, operator or viewer.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record UserRecord(string Id, string Tenant, string Name, string Role, DateTimeOffset CreatedAt);
