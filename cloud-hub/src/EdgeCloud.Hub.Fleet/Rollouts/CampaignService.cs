using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// Creates campaigns (targets resolved to the tenant's enrolled, unrevoked agents once, at creation, and
/// spread over the stages in a per-campaign random order), and resumes or aborts them. Every change and
/// every refused change is audited.
/// </summary>
internal sealed class CampaignService(IFleetStore registry, IRolloutStore store, CampaignScheduler scheduler, AuditLog audit, TimeProvider time)
{
    public async Task<CampaignRecord> CreateAsync(ClaimsPrincipal caller, CampaignRequest request, CancellationToken cancellationToken)
    {
        var tenant = FleetClaims.TenantOf(caller)!;
        if (await store.GetArtifactAsync(tenant, request.ArtifactId, cancellationToken) is null)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid campaign", $"field 'artifactId': artifact '{request.ArtifactId}' is not one of your tenant's");
        }

        var targets = (await registry.ListAgentsAsync(tenant, cancellationToken))
            .Where(a => a.RevokedAt is null)
            .Where(a => request.Group is null ? request.Labels.All(l => a.Labels.Contains(l, StringComparer.Ordinal)) : a.Groups.Contains(request.Group, StringComparer.Ordinal))
            .Select(a => a.AgentId)
            .ToList();
        var what = request.Group is null ? $"labels [{string.Join(", ", request.Labels)}]" : $"group '{request.Group}'";
        if (targets.Count == 0)
        {
            await audit.RecordAsync(caller, "campaign.create", request.Name, AuditLog.Refused, $"{what} matches no agent", cancellationToken);
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid campaign", $"field 'target': {what} matches no enrolled agent of your tenant");
        }

        var id = Guid.NewGuid().ToString("N");

        // A random order per campaign (a hash of campaign and agent id), so the first stage is not always the same agents.
        targets.Sort((a, b) => string.CompareOrdinal(Shuffle(id, a), Shuffle(id, b)));
        var agents = new List<CampaignAgentRecord>(targets.Count);
        for (var stage = 0; stage < request.Stages.Count; stage++)
        {
            var upTo = (int)Math.Ceiling(targets.Count * request.Stages[stage] / 100.0);
            while (agents.Count < upTo)
            {
                agents.Add(new CampaignAgentRecord(id, targets[agents.Count], stage, CampaignStates.Pending, null, null, null, 0, null, null, null, null, null));
            }
        }

        var campaign = new CampaignRecord(
            id, tenant, request.Name, request.ArtifactId, request.Group is null ? request.Labels : [], request.Group, request.Stages, request.SoakSeconds,
            request.FailureThreshold, request.HealthWindowSeconds, request.AllowDowngrade, request.PollErrorMargin, request.OutboxMargin,
            CampaignStates.Running, agents.Min(a => a.Stage), 0, null, 1, FleetClaims.ActorOf(caller), time.GetUtcNow(), request.ReportTimeoutSeconds);
        await store.AddCampaignAsync(campaign, agents, cancellationToken);
        await audit.RecordAsync(caller, "campaign.create", id, AuditLog.Ok, $"'{request.Name}': artifact {request.ArtifactId} to {agents.Count} agents ({what}), stages [{string.Join(", ", request.Stages)}]", cancellationToken);
        scheduler.Wake();
        return campaign;
    }

    /// <summary>Paused to running; the current stage's failures so far are accepted (the threshold counts new ones).</summary>
    public async Task<CampaignRecord> ResumeAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var campaign = await OwnAsync(caller, id, cancellationToken);
        var agents = await store.ListCampaignAgentsAsync(id, cancellationToken);
        var failed = agents.Count(a => a.Stage == campaign.CurrentStage && CampaignStates.IsFailure(a.State));
        return await MoveAsync(caller, campaign, "campaign.resume", CampaignStates.Paused, CampaignStates.Running, failed, null, cancellationToken);
    }

    /// <summary>Running or paused to aborted: no further directive goes out; installed agents keep what they installed.</summary>
    public async Task<CampaignRecord> AbortAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var campaign = await OwnAsync(caller, id, cancellationToken);
        var from = campaign.State is CampaignStates.Running or CampaignStates.Paused ? campaign.State : CampaignStates.Running;
        return await MoveAsync(caller, campaign, "campaign.abort", from, CampaignStates.Aborted, campaign.AcceptedFailures, $"aborted by {FleetClaims.ActorOf(caller)}", cancellationToken);
    }

    private async Task<CampaignRecord> MoveAsync(
        ClaimsPrincipal caller, CampaignRecord campaign, string action, string from, string to, int accepted, string? detail, CancellationToken cancellationToken)
    {
        if (campaign.State != from
            || !await store.UpdateCampaignAsync(campaign.Id, from, campaign.CurrentStage, to, campaign.CurrentStage, accepted, detail, cancellationToken))
        {
            await audit.RecordAsync(caller, action, campaign.Id, AuditLog.Refused, $"the campaign is {campaign.State}", cancellationToken);
            throw new FleetRequestException(StatusCodes.Status409Conflict, "Invalid state", $"campaign '{campaign.Id}' is {campaign.State}; only a {from} campaign can be {(to == CampaignStates.Running ? "resumed" : "aborted")}");
        }

        await audit.RecordAsync(caller, action, campaign.Id, AuditLog.Ok, detail ?? $"{accepted} failure(s) of stage {campaign.CurrentStage + 1} accepted", cancellationToken);
        scheduler.Wake();
        return campaign with { State = to, AcceptedFailures = accepted, Detail = detail };
    }

    private async Task<CampaignRecord> OwnAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken) =>
        await store.GetCampaignAsync(FleetClaims.TenantOf(caller)!, id, cancellationToken)
            ?? throw new FleetRequestException(StatusCodes.Status404NotFound, "Unknown campaign", $"campaign '{id}' is not one of your tenant's");

    private static string Shuffle(string campaignId, string agentId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(campaignId + "/" + agentId)));
}
