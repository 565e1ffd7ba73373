using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// The fallback policy of the whole hub: a route under <c>/api/</c> that declares no policy of its own still
/// needs a caller with a role (so a route added later cannot be left open by accident); other paths
/// (health, the root page, OpenAPI, the agents' gRPC which checks certificates itself) pass.
/// </summary>
internal sealed class ApiRouteRequirement : AuthorizationHandler<ApiRouteRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRouteRequirement requirement)
    {
        var path = context.Resource is HttpContext http ? http.Request.Path : PathString.Empty;
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || FleetRoles.All.Any(context.User.IsInRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
