namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Who the API believes the caller is.</summary>
/// <param name="User">User id.</param>
/// <param name="Tenant">The caller's tenant.</param>
/// <param name="Role">admin, operator or viewer.</param>
public sealed record CallerView(string User, string? Tenant, string? Role);
