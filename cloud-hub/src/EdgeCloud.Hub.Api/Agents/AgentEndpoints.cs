using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Api.Agents;

/// <summary><c>/api/v1/agents</c>: the fleet as the hub knows it, with live online state.</summary>
internal static class AgentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/agents", ListAsync).WithName("ListAgents");
        api.MapGet("/agents/{agentId}", GetAsync).WithName("GetAgent");
        api.MapGet("/agents/{agentId}/gaps", ListGapsAsync).WithName("ListAgentGaps");
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, [FromServices] ITelemetryStore store, [FromServices] IAgentPresence presence, [FromServices] IAgentScope scope, CancellationToken cancellationToken)
    {
        var agents = await store.ListAgentsAsync(cancellationToken);
        var visible = await scope.VisibleAgentsAsync(http.User, cancellationToken);
        return TypedResults.Ok(agents.Where(a => visible is null || visible.Contains(a.AgentId)).Select(a => ToView(a, presence.Find(a.AgentId))).ToList());
    }

    private static async Task<IResult> GetAsync(
        string agentId, [FromServices] ITelemetryStore store, [FromServices] IAgentPresence presence, CancellationToken cancellationToken)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            return InvalidAgentId(agentId);
        }

        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        return agent is null ? ApiProblems.UnknownAgent(agentId) : TypedResults.Ok(ToView(agent, presence.Find(agentId)));
    }

    private static async Task<IResult> ListGapsAsync(string agentId, [FromServices] ITelemetryStore store, CancellationToken cancellationToken)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            return InvalidAgentId(agentId);
        }

        if (await store.GetAgentAsync(agentId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(agentId);
        }

        var gaps = await store.ListGapsAsync(agentId, cancellationToken);
        return TypedResults.Ok(gaps.Select(GapView.From).ToList());
    }

    private static IResult InvalidAgentId(string agentId) =>
        ApiProblems.BadParameter("agentId", $"'agentId' '{NameRules.Excerpt(agentId)}' is not a valid agent id ({NameRules.NameRuleText})");

    private static AgentView ToView(AgentRecord agent, AgentPresence? live)
    {
        // Storage records last-seen at hello, per batch and at close; the open stream knows the very latest.
        var lastSeen = live is not null && live.LastSeen > agent.LastSeen ? live.LastSeen : agent.LastSeen;
        return new AgentView(
            agent.AgentId,
            live is not null,
            Iso8601.Format(agent.FirstSeen),
            Iso8601.Format(lastSeen),
            agent.AgentVersion,
            agent.HighestSequence,
            agent.Batches,
            agent.Points,
            agent.DroppedPoints,
            agent.OpenGaps,
            live is null ? null : Iso8601.Format(live.ConnectedAt),
            HealthView.From(live?.Health));
    }
}
