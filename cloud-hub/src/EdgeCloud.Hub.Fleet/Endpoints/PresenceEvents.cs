using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>
/// <c>GET /api/v1/fleet/events</c>: online state of the caller's agents pushed live as server-sent events
/// (event <c>presence</c>, data <c>{"agentId":..,"online":..}</c>): first every agent's state, then each change,
/// noticed within <see cref="Tick"/>. Only the caller's tenant's agents appear.
/// </summary>
internal static class PresenceEvents
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/fleet/events", Stream).ForViewers("FleetPresenceEvents");

    private static ServerSentEventsResult<AgentPresenceEvent> Stream(ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] IAgentPresence presence, [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(ChangesAsync(FleetClaims.TenantOf(caller)!, store, presence, time, cancellationToken));

    private static async IAsyncEnumerable<SseItem<AgentPresenceEvent>> ChangesAsync(
        string tenant, IFleetStore store, IAgentPresence presence, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var agent in await store.ListAgentsAsync(tenant, cancellationToken))
            {
                var online = presence.Find(agent.AgentId) is not null;
                if (!known.TryGetValue(agent.AgentId, out var before) || before != online)
                {
                    known[agent.AgentId] = online;
                    yield return new SseItem<AgentPresenceEvent>(new AgentPresenceEvent(agent.AgentId, online), "presence");
                }
            }

            try
            {
                await Task.Delay(Tick, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
