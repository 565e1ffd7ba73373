using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Operations;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Desired config per agent or group, each agent's desired and reported config, and commands.</summary>
internal static class OperationsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/fleet/configs/{kind}/{target}", PushConfigAsync).ForOperators("PushSiteConfig");
        api.MapGet("/fleet/configs/{kind}/{target}", GetConfigAsync).ForViewers("GetSiteConfig");
        api.MapGet("/fleet/agents/{agentId}/config", GetAgentConfigAsync).ForViewers("GetAgentConfig");
        api.MapPost("/fleet/agents/{agentId}/commands", SendCommandAsync).ForOperators("SendCommand");
        api.MapGet("/fleet/commands/{commandId}", GetCommandAsync).ForViewers("GetCommand");
    }

    private static async Task<IResult> PushConfigAsync(
        string kind, string target, JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore registry, [FromServices] ConfigService configs, CancellationToken cancellationToken)
    {
        await CheckTargetAsync(kind, target, caller, registry, cancellationToken);
        var request = StrictBody.Parse(body, "siteConfig");
        var (config, delivered, targets) = await configs.PushAsync(caller, kind, target, request.Object("siteConfig"), cancellationToken);
        return TypedResults.Ok(new { version = config.VersionTag, targets, deliveredNow = delivered });
    }

    private static async Task<IResult> GetConfigAsync(
        string kind, string target, ClaimsPrincipal caller, [FromServices] IFleetStore registry, [FromServices] IFleetOperationsStore store, CancellationToken cancellationToken)
    {
        await CheckTargetAsync(kind, target, caller, registry, cancellationToken);
        var config = await store.GetLatestSiteConfigAsync(FleetClaims.TenantOf(caller)!, kind, target, cancellationToken);
        return config is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No config", detail: $"no site config was pushed for {kind} '{target}'")
            : TypedResults.Ok(new { version = config.VersionTag, createdBy = config.CreatedBy, createdAt = config.CreatedAt.ToString("O"), siteConfig = JsonDocument.Parse(config.Json).RootElement });
    }

    private static async Task<IResult> GetAgentConfigAsync(
        string agentId, ClaimsPrincipal caller, [FromServices] IFleetStore registry, [FromServices] IFleetOperationsStore store, [FromServices] ConfigService configs,
        CancellationToken cancellationToken)
    {
        var agent = await OwnAgentAsync(agentId, caller, registry, cancellationToken);
        var desired = await configs.DesiredForAsync(agent, cancellationToken);
        var reported = await store.GetConfigReportAsync(agentId, cancellationToken);
        return TypedResults.Ok(new
        {
            agentId,
            desiredVersion = desired?.VersionTag,
            reported = reported is null ? null : new { version = reported.Version, state = reported.State, detail = reported.Detail, time = reported.Time.ToString("O") },
        });
    }

    private static async Task<IResult> SendCommandAsync(
        string agentId, JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore registry, [FromServices] CommandService commands, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "kind", "arguments", "timeoutSeconds", "queueIfOffline");
        var agent = await OwnAgentAsync(agentId, caller, registry, cancellationToken);
        var command = await commands.CreateAsync(
            caller, agent, request.String("kind", true)!, request.StringMap("arguments"), TimeSpan.FromSeconds(request.Integer("timeoutSeconds") ?? 60),
            request.Boolean("queueIfOffline") ?? false, cancellationToken);
        return TypedResults.Accepted($"/api/v1/fleet/commands/{command.Id}", View(command));
    }

    private static async Task<IResult> GetCommandAsync(string commandId, ClaimsPrincipal caller, [FromServices] CommandService commands, CancellationToken cancellationToken) =>
        await commands.GetAsync(FleetClaims.TenantOf(caller)!, commandId, cancellationToken) is { } command
            ? TypedResults.Ok(View(command))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown command", detail: $"command '{commandId}' is not one of your tenant's");

    private static object View(CommandRecord c) => new
    {
        id = c.Id,
        agentId = c.AgentId,
        kind = c.Kind,
        arguments = c.Arguments,
        status = c.Status,
        detail = c.Detail,
        createdBy = c.CreatedBy,
        createdAt = c.CreatedAt.ToString("O"),
        deadline = c.Deadline.ToString("O"),
    };

    private static async Task CheckTargetAsync(string kind, string target, ClaimsPrincipal caller, IFleetStore registry, CancellationToken cancellationToken)
    {
        if (kind is not (ConfigService.AgentTarget or ConfigService.GroupTarget))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid target", $"'kind' must be '{ConfigService.AgentTarget}' or '{ConfigService.GroupTarget}', not '{kind}'");
        }

        if (kind == ConfigService.AgentTarget)
        {
            await OwnAgentAsync(target, caller, registry, cancellationToken);
        }
    }

    private static async Task<FleetAgentRecord> OwnAgentAsync(string agentId, ClaimsPrincipal caller, IFleetStore registry, CancellationToken cancellationToken)
    {
        var agent = await registry.GetAgentAsync(agentId, cancellationToken);
        return agent is not null && string.Equals(agent.Tenant, FleetClaims.TenantOf(caller), StringComparison.Ordinal)
            ? agent
            : throw new FleetRequestException(StatusCodes.Status404NotFound, "Unknown agent", $"agent '{agentId}' is not enrolled in your tenant");
    }
}
