using System.Security.Claims;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>The claims a fleet principal carries (API key or JWT alike) and how to read them back.</summary>
internal static class FleetClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tenant";
    public const string Role = "role";

    public static ClaimsPrincipal Principal(string userId, string tenant, string role, string scheme) =>
        new(new ClaimsIdentity([new Claim(Subject, userId), new Claim(Tenant, tenant), new Claim(Role, role)], scheme, Subject, Role));

    /// <summary>The caller's tenant, or null for an anonymous caller.</summary>
    public static string? TenantOf(ClaimsPrincipal user) => user.FindFirst(Tenant)?.Value;

    /// <summary>The caller's user id, or "anonymous".</summary>
    public static string ActorOf(ClaimsPrincipal user) => user.FindFirst(Subject)?.Value ?? "anonymous";

    public static bool IsRootAdmin(ClaimsPrincipal user) =>
        user.IsInRole(FleetRoles.Admin) && string.Equals(TenantOf(user), FleetOptions.RootTenant, StringComparison.Ordinal);
}
