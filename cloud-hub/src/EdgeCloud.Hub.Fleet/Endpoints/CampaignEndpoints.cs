using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Rollouts;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>
/// Campaigns of the caller's tenant: create, resume and abort (admin, audited), read (any role), and
/// <c>GET /api/v1/campaigns/events</c>, server-sent events <c>campaign</c> carrying the whole view: first
/// every campaign, then each one whose revision changed, noticed within <see cref="Tick"/>.
/// </summary>
internal static class CampaignEndpoints
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/campaigns", CreateAsync).ForAdmins("CreateCampaign");
        api.MapGet("/campaigns", ListAsync).ForViewers("ListCampaigns");
        api.MapGet("/campaigns/events", Stream).ForViewers("CampaignEvents");
        api.MapGet("/campaigns/{campaignId}", GetAsync).ForViewers("GetCampaign");
        api.MapPost("/campaigns/{campaignId}/resume", ResumeAsync).ForAdmins("ResumeCampaign");
        api.MapPost("/campaigns/{campaignId}/abort", AbortAsync).ForAdmins("AbortCampaign");
    }

    private static async Task<IResult> CreateAsync(
        JsonElement body, ClaimsPrincipal caller, [FromServices] CampaignService campaigns, [FromServices] IRolloutStore store, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.CreateAsync(caller, CampaignRequestParser.Parse(body), cancellationToken);
        return TypedResults.Created($"/api/v1/campaigns/{campaign.Id}", await ViewAsync(campaign, store, cancellationToken));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal caller, [FromServices] IRolloutStore store, CancellationToken cancellationToken)
    {
        var views = new List<object>();
        foreach (var campaign in await store.ListCampaignsAsync(FleetClaims.TenantOf(caller)!, cancellationToken))
        {
            views.Add(await ViewAsync(campaign, store, cancellationToken));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(string campaignId, ClaimsPrincipal caller, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        await store.GetCampaignAsync(FleetClaims.TenantOf(caller)!, campaignId, cancellationToken) is { } campaign
            ? TypedResults.Ok(await ViewAsync(campaign, store, cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign", detail: $"campaign '{campaignId}' is not one of your tenant's");

    private static async Task<IResult> ResumeAsync(
        string campaignId, ClaimsPrincipal caller, [FromServices] CampaignService campaigns, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(await campaigns.ResumeAsync(caller, campaignId, cancellationToken), store, cancellationToken));

    private static async Task<IResult> AbortAsync(
        string campaignId, ClaimsPrincipal caller, [FromServices] CampaignService campaigns, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(await campaigns.AbortAsync(caller, campaignId, cancellationToken), store, cancellationToken));

    private static ServerSentEventsResult<object> Stream(HttpContext context, [FromServices] IRolloutStore store, [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(ChangesAsync(context, store, time, cancellationToken));

    private static async IAsyncEnumerable<SseItem<object>> ChangesAsync(
        HttpContext context, IRolloutStore store, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The result has set the event-stream headers by now; send them at once, so that a client of a tenant
        // without campaigns sees the stream open instead of waiting for a first event.
        await context.Response.Body.FlushAsync(cancellationToken);
        var tenant = FleetClaims.TenantOf(context.User)!;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var campaign in await store.ListCampaignsAsync(tenant, cancellationToken))
            {
                if (!seen.TryGetValue(campaign.Id, out var revision) || revision != campaign.Revision)
                {
                    seen[campaign.Id] = campaign.Revision;
                    yield return new SseItem<object>(await ViewAsync(campaign, store, cancellationToken), "campaign");
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

    private static async Task<object> ViewAsync(CampaignRecord campaign, IRolloutStore store, CancellationToken cancellationToken) =>
        CampaignView.Of(
            campaign,
            await store.GetArtifactAsync(campaign.Tenant, campaign.ArtifactId, cancellationToken),
            await store.ListCampaignAgentsAsync(campaign.Id, cancellationToken));
}
