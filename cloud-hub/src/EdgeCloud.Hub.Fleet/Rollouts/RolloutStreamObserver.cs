using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// Joins agent streams to campaigns: at connect, a directive the agent may not have acted on yet goes out
/// again; each RolloutProgress is recorded on the agent's row (a <c>succeeded</c> starts its soak) and wakes
/// the scheduler. Progress for a campaign the agent is not a target of, or that ended, is ignored.
/// </summary>
internal sealed class RolloutStreamObserver(
    IFleetStore registry, IRolloutStore store, IAgentSessions sessions, IAgentPresence presence, CampaignScheduler scheduler, TimeProvider time) : IAgentStreamObserver
{
    public async Task OnConnectedAsync(string agentId, Hello hello, CancellationToken cancellationToken)
    {
        var assignments = await store.ListActiveAssignmentsAsync(agentId, cancellationToken);
        if (assignments.Count == 0 || await registry.GetAgentAsync(agentId, cancellationToken) is not { } agent)
        {
            return;
        }

        foreach (var assignment in assignments.Where(a => CampaignStates.Resend.Contains(a.State)))
        {
            if (await store.GetCampaignAsync(agent.Tenant, assignment.CampaignId, cancellationToken) is { } campaign
                && await store.GetArtifactAsync(agent.Tenant, campaign.ArtifactId, cancellationToken) is { } artifact)
            {
                sessions.TrySend(agentId, CampaignScheduler.Directive(campaign, artifact));
            }
        }
    }

    public async Task OnMessageAsync(string agentId, AgentMessage message, CancellationToken cancellationToken)
    {
        if (message.BodyCase != AgentMessage.BodyOneofCase.RolloutProgress)
        {
            return;
        }

        var progress = message.RolloutProgress;
        var assignment = (await store.ListActiveAssignmentsAsync(agentId, cancellationToken)).FirstOrDefault(a => a.CampaignId == progress.CampaignId);
        if (assignment is null || CampaignStates.IsFailure(assignment.State))
        {
            return;
        }

        var updated = assignment with
        {
            RunningVersion = progress.RunningVersion.Length > 0 ? progress.RunningVersion : assignment.RunningVersion,
            // Only a download report speaks of bytes; the reports after it carry 0 and must not wipe what was done.
            BytesDone = progress.State == "downloading" || progress.BytesDone > 0 ? (long)progress.BytesDone : assignment.BytesDone,
            Detail = progress.Detail.Length > 0 ? progress.Detail : assignment.Detail,
            ReportedAt = time.GetUtcNow(),
        };
        if (progress.State is CampaignStates.Failed or CampaignStates.RolledBack)
        {
            updated = updated with { State = progress.State, Reason = progress.Reason.Length > 0 ? progress.Reason : "unspecified" };
        }
        else if (progress.State == "succeeded" && !CampaignStates.IsSucceeded(assignment.State))
        {
            var registered = await registry.GetAgentAsync(agentId, cancellationToken);
            var campaign = registered is null ? null : await store.GetCampaignAsync(registered.Tenant, assignment.CampaignId, cancellationToken);
            var health = presence.Find(agentId)?.Health;
            updated = updated with
            {
                State = CampaignStates.Soaking,
                SoakStart = health is null ? null : HealthGate.Sample(health),
                SoakUntil = time.GetUtcNow() + TimeSpan.FromSeconds(campaign?.SoakSeconds ?? 0),
            };
        }
        else if (CampaignStates.InProgress.Contains(progress.State) && !CampaignStates.IsSucceeded(assignment.State))
        {
            updated = updated with { State = progress.State };
        }

        await store.UpdateCampaignAgentAsync(updated, null, cancellationToken);
        scheduler.Wake();
    }
}
