using System.Security.Claims;
using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Api.Agents;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Ingest.Live.Relay;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace EdgeCloud.Hub.Api.Live;

/// <summary>
/// Live streams as server-sent events. <c>GET /api/v1/agents/{agentId}/live</c>: event <c>values</c> with a
/// JSON array of <see cref="LatestValueView"/>, first every known tag, then only the tags that changed,
/// coalesced to at most one event per <see cref="LiveOptions.CoalesceMilliseconds"/>.
/// <c>GET /api/v1/alarm-events/stream?agent=</c>: event <c>alarm</c> with one <see cref="LiveAlarmEventView"/>
/// per alarm event of the caller's agents, as soon as its batch is stored. A client that falls behind gets
/// event <c>dropped</c> (when it can still be written) and the stream ends; ingest never waits for a client.
/// Either stream works whichever replica holds the agent's sync stream: it announces its interest through the
/// <see cref="LiveRelay"/>, and the replica holding the stream forwards the values and events while it lasts.
/// </summary>
internal static class LiveEndpoints
{
    /// <summary>How often the caller's agent set is read again for an event of an agent not (yet) in it.</summary>
    private static readonly TimeSpan ScopeRefresh = TimeSpan.FromSeconds(5);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/agents/{agentId}/live", StreamValuesAsync).WithName("StreamAgentLiveValues")
            .Produces<List<LatestValueView>>(StatusCodes.Status200OK, "text/event-stream");
        api.MapGet("/alarm-events/stream", StreamAlarmEventsAsync).WithName("StreamAlarmEvents")
            .Produces<LiveAlarmEventView>(StatusCodes.Status200OK, "text/event-stream");
    }

    private static async Task StreamValuesAsync(
        string agentId,
        HttpContext http,
        [FromServices] ITelemetryStore store,
        [FromServices] LatestValues latest,
        [FromServices] LiveRelay relay,
        [FromServices] IOptions<LiveOptions> options,
        [FromServices] IOptions<JsonOptions> json,
        [FromServices] LiveMetrics metrics,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            await ApiProblems.BadParameter("agentId", $"'agentId' '{NameRules.Excerpt(agentId)}' is not a valid agent id ({NameRules.NameRuleText})").ExecuteAsync(http);
            return;
        }

        if (await store.GetAgentAsync(agentId, cancellationToken) is null)
        {
            await ApiProblems.UnknownAgent(agentId).ExecuteAsync(http);
            return;
        }

        var limits = options.Value;

        // Subscribe before the snapshot: a change between the two is sent twice rather than lost. The relay brings
        // the values when the agent streams to another replica, for as long as this reader stays.
        using var subscription = latest.Subscribe(agentId, limits.MaxPendingTags);
        using var interest = relay.FollowValues(agentId);
        var sse = await EventStreamWriter.StartAsync(http, json.Value.SerializerOptions, TimeSpan.FromSeconds(limits.WriteTimeoutSeconds));
        metrics.Opened();
        try
        {
            if (!await sse.WriteAsync("values", latest.Get(agentId).Select(LatestValueView.From).ToList(), cancellationToken))
            {
                return;
            }

            var changes = new List<LatestValue>();
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await WaitOrHeartbeatAsync(subscription.WaitAsync, sse, limits, cancellationToken))
                {
                    break;
                }

                if (subscription.Overflowed)
                {
                    await DropAsync(sse, metrics, "overflow", $"more than {limits.MaxPendingTags} changed tags waited for this client", cancellationToken);
                    break;
                }

                subscription.TakeChanges(changes);
                if (changes.Count > 0 && !await sse.WriteAsync("values", changes.Select(LatestValueView.From).ToList(), cancellationToken))
                {
                    break;
                }

                // The coalescing window: whatever changes meanwhile goes out as one event, newest value per tag.
                await Task.Delay(TimeSpan.FromMilliseconds(limits.CoalesceMilliseconds), time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            metrics.Closed();
            if (sse.TimedOut)
            {
                metrics.Dropped("write_timeout");
            }
        }
    }

    private static async Task StreamAlarmEventsAsync(
        HttpContext http,
        [FromQuery] string? agent,
        [FromServices] AlarmEventFeed feed,
        [FromServices] LiveRelay relay,
        [FromServices] IAgentScope scope,
        [FromServices] IOptions<LiveOptions> options,
        [FromServices] IOptions<JsonOptions> json,
        [FromServices] LiveMetrics metrics,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (agent is not null && !NameRules.IsValidAgentId(agent))
        {
            await ApiProblems.BadParameter("agent", $"'agent' '{NameRules.Excerpt(agent)}' is not a valid agent id ({NameRules.NameRuleText})").ExecuteAsync(http);
            return;
        }

        var limits = options.Value;
        using var subscription = feed.Subscribe(limits.MaxPendingAlarmEvents);
        using var interest = relay.FollowAlarms();
        var visible = new VisibleAgents(scope, http.User, time);
        var sse = await EventStreamWriter.StartAsync(http, json.Value.SerializerOptions, TimeSpan.FromSeconds(limits.WriteTimeoutSeconds));
        metrics.Opened();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await WaitOrHeartbeatAsync(subscription.Events.WaitToReadAsync, sse, limits, cancellationToken))
                {
                    break;
                }

                if (subscription.Overflowed)
                {
                    await DropAsync(sse, metrics, "overflow", $"more than {limits.MaxPendingAlarmEvents} alarm events waited for this client", cancellationToken);
                    break;
                }

                while (subscription.Events.TryRead(out var stored))
                {
                    if ((agent is null || agent == stored.AgentId)
                        && await visible.ContainsAsync(stored.AgentId, cancellationToken)
                        && !await sse.WriteAsync("alarm", LiveAlarmEventView.From(stored), cancellationToken))
                    {
                        return;
                    }
                }

                if (subscription.Events.Completion.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            metrics.Closed();
            if (sse.TimedOut)
            {
                metrics.Dropped("write_timeout");
            }
        }
    }

    /// <summary>
    /// Waits for <paramref name="wait"/>, writing a heartbeat after every idle <see cref="LiveOptions.HeartbeatSeconds"/>.
    /// True when something is ready; false when the client went away or the stream ended.
    /// </summary>
    private static async Task<bool> WaitOrHeartbeatAsync(
        Func<CancellationToken, ValueTask<bool>> wait, EventStreamWriter sse, LiveOptions limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(TimeSpan.FromSeconds(limits.HeartbeatSeconds));
            bool ready;
            try
            {
                ready = await wait(idle.Token);
            }
            catch (OperationCanceledException)
            {
                ready = false;
            }

            // Not ready and not idle: the subscription ended (the client was dropped); the caller sees why.
            if (ready || (!idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
            {
                return true;
            }

            if (cancellationToken.IsCancellationRequested || !await sse.WriteHeartbeatAsync(cancellationToken))
            {
                return false;
            }
        }
    }

    private static async Task DropAsync(EventStreamWriter sse, LiveMetrics metrics, string reason, string detail, CancellationToken cancellationToken)
    {
        metrics.Dropped(reason);
        await sse.WriteAsync("dropped", new { reason, detail }, cancellationToken);
    }

    /// <summary>The caller's agents, read once and again (at most every <see cref="ScopeRefresh"/>) for an agent not in it.</summary>
    private sealed class VisibleAgents(IAgentScope scope, ClaimsPrincipal caller, TimeProvider time)
    {
        private IReadOnlySet<string>? _agents;
        private bool _loaded;
        private DateTimeOffset _loadedAt;

        public async ValueTask<bool> ContainsAsync(string agentId, CancellationToken cancellationToken)
        {
            if (!_loaded || (_agents is not null && !_agents.Contains(agentId) && time.GetUtcNow() - _loadedAt >= ScopeRefresh))
            {
                _agents = await scope.VisibleAgentsAsync(caller, cancellationToken);
                _loaded = true;
                _loadedAt = time.GetUtcNow();
            }

            return _agents is null || _agents.Contains(agentId);
        }
    }
}
