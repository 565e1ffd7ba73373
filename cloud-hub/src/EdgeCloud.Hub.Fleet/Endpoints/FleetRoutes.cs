using EdgeCloud.Hub.Fleet.Access;
using Microsoft.AspNetCore.Builder;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>
/// How every fleet route is declared: named (its OpenAPI operation id, which clients rely on) and open to one role
/// and the roles above it, so that each endpoint file's <c>Map</c> reads as its route table:
/// <c>api.MapGet("/campaigns", ListAsync).ForViewers("ListCampaigns")</c>.
/// </summary>
internal static class FleetRoutes
{
    /// <summary>Any role of the tenant (viewer, operator, admin).</summary>
    public static RouteHandlerBuilder ForViewers(this RouteHandlerBuilder route, string name) =>
        route.WithName(name).RequireAuthorization(FleetRoles.ViewerPolicy);

    /// <summary>Operators and admins.</summary>
    public static RouteHandlerBuilder ForOperators(this RouteHandlerBuilder route, string name) =>
        route.WithName(name).RequireAuthorization(FleetRoles.OperatorPolicy);

    /// <summary>Admins only.</summary>
    public static RouteHandlerBuilder ForAdmins(this RouteHandlerBuilder route, string name) =>
        route.WithName(name).RequireAuthorization(FleetRoles.AdminPolicy);

    /// <summary>No user at all: agents, which the handler itself checks (enrollment token, client certificate).</summary>
    public static RouteHandlerBuilder ForAgents(this RouteHandlerBuilder route, string name) =>
        route.WithName(name).AllowAnonymous();
}
