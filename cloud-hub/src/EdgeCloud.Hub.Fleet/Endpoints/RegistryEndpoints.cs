using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>The registry of the caller's tenant: enrolled agents, labels and groups, certificate, online state and latest health.</summary>
internal static class RegistryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/fleet/agents", ListAsync).ForViewers("ListFleetAgents");
        api.MapGet("/fleet/agents/{agentId}", GetAsync).ForViewers("GetFleetAgent");
        api.MapPut("/fleet/agents/{agentId}/labels", SetLabelsAsync).ForOperators("SetFleetAgentLabels");
        api.MapGet("/audit", ListAuditAsync).ForAdmins("ListAudit");
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] IAgentPresence presence, string? label, string? group, CancellationToken cancellationToken)
    {
        var agents = await store.ListAgentsAsync(FleetClaims.TenantOf(caller)!, cancellationToken);
        return TypedResults.Ok(agents
            .Where(a => label is null || a.Labels.Contains(label, StringComparer.Ordinal))
            .Where(a => group is null || a.Groups.Contains(group, StringComparer.Ordinal))
            .Select(a => View(a, presence.Find(a.AgentId))).ToList());
    }

    private static async Task<IResult> GetAsync(string agentId, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] IAgentPresence presence, CancellationToken cancellationToken)
    {
        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        return agent is not null && string.Equals(agent.Tenant, FleetClaims.TenantOf(caller), StringComparison.Ordinal)
            ? TypedResults.Ok(View(agent, presence.Find(agentId)))
            : Unknown(agentId);
    }

    private static async Task<IResult> SetLabelsAsync(
        string agentId, JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] AuditLog audit, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "labels", "groups");
        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        if (agent is null || !string.Equals(agent.Tenant, FleetClaims.TenantOf(caller), StringComparison.Ordinal))
        {
            return Unknown(agentId);
        }

        var labels = request.Strings("labels");
        var groups = request.Strings("groups");
        await store.SetLabelsAsync(agentId, labels, groups, cancellationToken);
        await audit.RecordAsync(caller, "agent.labels", agentId, AuditLog.Ok, $"labels [{string.Join(", ", labels)}], groups [{string.Join(", ", groups)}]", cancellationToken);
        return TypedResults.Ok(View(agent with { Labels = labels, Groups = groups }, null));
    }

    private static async Task<IResult> ListAuditAsync(ClaimsPrincipal caller, [FromServices] IFleetStore store, long? after, int? limit, CancellationToken cancellationToken)
    {
        var entries = await store.ListAuditAsync(FleetClaims.TenantOf(caller)!, after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000), cancellationToken);
        return TypedResults.Ok(entries.Select(e => new
        {
            id = e.Id,
            time = e.Time.ToString("O"),
            actor = e.Actor,
            tenant = e.Tenant,
            action = e.Action,
            target = e.Target,
            result = e.Result,
            detail = e.Detail,
        }).ToList());
    }

    private static ProblemHttpResult Unknown(string agentId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown agent", detail: $"agent '{agentId}' is not enrolled in your tenant");

    private static object View(FleetAgentRecord agent, AgentPresence? live) => new
    {
        agentId = agent.AgentId,
        tenant = agent.Tenant,
        labels = agent.Labels,
        groups = agent.Groups,
        online = live is not null,
        agentVersion = live?.AgentVersion,
        lastSeen = live?.LastSeen.ToString("O"),
        certificateSerial = agent.CertificateSerial,
        certificateThumbprint = agent.CertificateThumbprint,
        certificateNotAfter = agent.CertificateNotAfter.ToString("O"),
        enrolledAt = agent.EnrolledAt.ToString("O"),
        revokedAt = agent.RevokedAt?.ToString("O"),
        health = live?.Health is { } h ? new
        {
            outboxBatches = h.OutboxBatches,
            outboxBytes = h.OutboxBytes,
            pollErrors = h.PollErrors,
            clockSynchronized = h.ClockSynchronized,
            backlogBatches = h.BacklogBatches,
            backlogEtaSeconds = h.BacklogEtaSeconds,
        } : null,
    };
}
