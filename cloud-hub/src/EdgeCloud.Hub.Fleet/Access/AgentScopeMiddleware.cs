using EdgeCloud.Hub.Api.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Guards every API route that names an agent (route value <c>agentId</c> or query <c>agent</c>), whoever
/// wrote the route: an agent outside the caller's scope gets the same 404 as an unknown one, so one tenant
/// cannot even learn that another tenant's agent exists.
/// </summary>
internal sealed class AgentScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAgentScope scope)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && NamedAgent(context) is { Length: > 0 } agentId)
        {
            var visible = await scope.VisibleAgentsAsync(context.User, context.RequestAborted);
            if (visible is not null && !visible.Contains(agentId))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown agent",
                    detail: $"agent '{agentId}' is not known to this hub (it never connected)").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    private static string? NamedAgent(HttpContext context) =>
        context.GetRouteValue("agentId") as string ?? (context.Request.Query.TryGetValue("agent", out var agent) ? agent.ToString() : null);
}
