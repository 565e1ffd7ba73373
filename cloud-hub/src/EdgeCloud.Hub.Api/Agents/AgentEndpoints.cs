using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Alarms;
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
        api.MapGet("/agents/{agentId}/latest", GetLatestAsync).WithName("GetAgentLatestValues");
        api.MapGet("/agents/{agentId}/alarm-events", ListAlarmEventsAsync).WithName("ListAgentAlarmEvents");
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

    /// <summary>
    /// Each tag's newest value: right after an outage the live lane brings the present before the
    /// backlog is stored (<c>stored: false</c>); history comes from <c>/telemetry</c>.
    /// </summary>
    private static async Task<IResult> GetLatestAsync(
        string agentId, [FromServices] ITelemetryStore store, [FromServices] LatestValues latest, CancellationToken cancellationToken)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            return InvalidAgentId(agentId);
        }

        if (await store.GetAgentAsync(agentId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(agentId);
        }

        return TypedResults.Ok(latest.Get(agentId).Select(LatestValueView.From).ToList());
    }

    /// <summary>The agent's alarm events, newest first (default: the last 24 hours, at most 500).</summary>
    private static async Task<IResult> ListAlarmEventsAsync(
        string agentId,
        [FromQuery] DateTimeOffset? from,
        [FromQuery] DateTimeOffset? to,
        [FromQuery] int? limit,
        [FromServices] ITelemetryStore store,
        [FromServices] IAlarmEventStore alarms,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            return InvalidAgentId(agentId);
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-1);
        if (start >= end)
        {
            return ApiProblems.BadParameter("from", $"'from' ({Iso8601.Format(start)}) must be before 'to' ({Iso8601.Format(end)})");
        }

        if (limit is < 1 or > MaxAlarmEvents)
        {
            return ApiProblems.BadParameter("limit", $"'limit' must be between 1 and {MaxAlarmEvents}, not {limit}");
        }

        if (await store.GetAgentAsync(agentId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(agentId);
        }

        var events = await alarms.ListAlarmEventsAsync(agentId, UnixNanos.From(start), UnixNanos.From(end), limit ?? 500, cancellationToken);
        return TypedResults.Ok(events.Select(AlarmEventView.From).ToList());
    }

    private const int MaxAlarmEvents = 10_000;

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
            agent.CompactedPoints,
            agent.OpenGaps,
            live is null ? null : Iso8601.Format(live.ConnectedAt),
            HealthView.From(live?.Health));
    }
}
