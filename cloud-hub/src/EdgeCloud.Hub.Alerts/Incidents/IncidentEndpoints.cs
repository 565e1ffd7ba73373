using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Fleet.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// The incidents API (the contract shared with the dashboard): list and read (viewer), acknowledge / snooze /
/// resolve (operator, audited), and <c>GET /api/v1/incidents/events</c>, server-sent events named <c>incident</c>
/// whose data is the incident after each change. Everything is scoped to the caller's tenant: another
/// tenant's id answers 404.
/// </summary>
internal static class IncidentEndpoints
{
    /// <summary>Largest page a list returns.</summary>
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/incidents", ListAsync).WithName("ListIncidents").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapGet("/incidents/events", Events).WithName("IncidentEvents").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapGet("/incidents/{id}", GetAsync).WithName("GetIncident").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapPost("/incidents/{id}/acknowledge", AcknowledgeAsync).WithName("AcknowledgeIncident").RequireAuthorization(FleetRoles.OperatorPolicy);
        api.MapPost("/incidents/{id}/snooze", SnoozeAsync).WithName("SnoozeIncident").RequireAuthorization(FleetRoles.OperatorPolicy);
        api.MapPost("/incidents/{id}/resolve", ResolveAsync).WithName("ResolveIncident").RequireAuthorization(FleetRoles.OperatorPolicy);
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal caller, [FromServices] IIncidentStore store, CancellationToken cancellationToken, string? state = null, string? agentId = null, int? limit = null)
    {
        if (state is not null && !IncidentStates.All.Contains(state))
        {
            throw Bad($"query 'state' must be one of {string.Join(", ", IncidentStates.All)}, not '{state}'");
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw Bad($"query 'limit' must be from 1 to {MaxLimit}");
        }

        var incidents = await store.ListAsync(TenantOf(caller), state, string.IsNullOrEmpty(agentId) ? null : agentId, limit ?? 100, cancellationToken);
        return TypedResults.Ok(incidents.Select(IncidentView.From));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, [FromServices] IIncidentStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(TenantOf(caller), ParseId(id), cancellationToken) is { } incident
            ? TypedResults.Ok(IncidentView.From(incident))
            : throw NotFound(id);

    private static async Task<IResult> AcknowledgeAsync(string id, JsonElement? body, ClaimsPrincipal caller, [FromServices] IncidentService service, CancellationToken cancellationToken)
    {
        var comment = Comment(body);
        return TypedResults.Ok(IncidentView.From(await service.AcknowledgeAsync(caller, ParseId(id), comment, cancellationToken)));
    }

    private static async Task<IResult> SnoozeAsync(string id, JsonElement body, ClaimsPrincipal caller, [FromServices] IncidentService service, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "minutes");
        var minutes = request.Integer("minutes") ?? throw Bad("field 'minutes' is required");
        if (minutes is < 1 or > IncidentService.MaxSnoozeMinutes)
        {
            throw Bad($"field 'minutes' must be from 1 to {IncidentService.MaxSnoozeMinutes}");
        }

        return TypedResults.Ok(IncidentView.From(await service.SnoozeAsync(caller, ParseId(id), (int)minutes, cancellationToken)));
    }

    private static async Task<IResult> ResolveAsync(string id, JsonElement? body, ClaimsPrincipal caller, [FromServices] IncidentService service, CancellationToken cancellationToken)
    {
        var comment = Comment(body);
        return TypedResults.Ok(IncidentView.From(await service.ResolveAsync(caller, ParseId(id), comment, cancellationToken)));
    }

    private static ServerSentEventsResult<IncidentView> Events(
        HttpContext context,
        ClaimsPrincipal caller, [FromServices] IIncidentStore store, [FromServices] IncidentChanges changes, [FromServices] IOptions<AlertsOptions> options,
        [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(ChangesAsync(context, TenantOf(caller), store, changes, options.Value.MonitorInterval, time, cancellationToken));

    /// <summary>Every change after the stream opened, in revision order (a change seen late is sent once, as it is then); polls the store (other replicas' changes) and wakes early on this replica's.</summary>
    private static async IAsyncEnumerable<SseItem<IncidentView>> ChangesAsync(
        HttpContext context, string tenant, IIncidentStore store, IncidentChanges changes, TimeSpan poll, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Start at the tenant's newest revision: the stream tells changes, the list tells the state. Read before the headers
        // go out: a client that loads the list once subscribed must not miss a change saved in between.
        var after = await store.GetLatestRevisionAsync(tenant, cancellationToken);

        // The headers go out now, not with the first change (which may be hours away): a client knows at once that it is subscribed.
        await context.Response.Body.FlushAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var incident in await store.ListChangedAsync(tenant, after, 100, cancellationToken))
            {
                after = incident.Revision;
                yield return new SseItem<IncidentView>(IncidentView.From(incident), "incident");
            }

            try
            {
                await changes.WaitAsync(poll, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static string? Comment(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } json ? StrictBody.Parse(json, "comment").String("comment", false) : null;

    private static string TenantOf(ClaimsPrincipal caller) =>
        FleetClaims.TenantOf(caller) ?? throw new FleetRequestException(StatusCodes.Status403Forbidden, "No tenant", "the caller belongs to no tenant");

    private static long ParseId(string id) => long.TryParse(id, out var value) && value > 0 ? value : throw NotFound(id);

    private static FleetRequestException NotFound(string id) => new(StatusCodes.Status404NotFound, "Unknown incident", $"incident '{id}' is not one of your tenant's");

    private static FleetRequestException Bad(string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail);
}
