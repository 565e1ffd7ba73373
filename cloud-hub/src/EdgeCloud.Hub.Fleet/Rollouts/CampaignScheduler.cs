using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// Drives running campaigns, one step per tick (or sooner, when an agent report wakes it): directives to the
/// current stage's agents that are connected and have reported health (the baseline), the soak check of
/// agents whose install succeeded, the pause when the stage's failures pass the threshold, the promotion
/// when every agent of the stage is done. Reads and writes only the store, so after a restart (or on another
/// replica) it continues where the store says; state changes are conditional so two replicas never both promote.
/// Each replica steps the agents whose streams it holds (and those offline everywhere).
/// Agents of a later stage are never touched before their stage is current, and nothing is sent while paused.
/// </summary>
internal sealed partial class CampaignScheduler(
    IRolloutStore store,
    ClusterPresence presence,
    IAgentSessions sessions,
    AuditLog audit,
    IOptions<RolloutOptions> options,
    TimeProvider time,
    ILogger<CampaignScheduler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a step soon (an agent reported, a campaign was created or resumed).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is pending already.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    public static HubMessage Directive(CampaignRecord campaign, ArtifactRecord artifact) => new()
    {
        Rollout = new RolloutDirective
        {
            CampaignId = campaign.Id,
            Artifact = artifact.Id,
            Version = artifact.Version,
            Sha256 = artifact.Sha256,
            Size = (ulong)artifact.Size,
            Kind = artifact.Kind,
            Name = artifact.Name,
            DownloadPath = $"/api/v1/agent/artifacts/{artifact.Id}/content",
            ChunkSize = (uint)artifact.ChunkSize,
            ChunkSha256 = { artifact.ChunkSha256 },
            Signature = ByteString.CopyFrom(artifact.Signature),
            KeyId = artifact.KeyId,
            AllowDowngrade = campaign.AllowDowngrade,
            HealthWindowSeconds = (uint)campaign.HealthWindowSeconds,
        },
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var campaign in await store.ListCampaignsInStateAsync(CampaignStates.Running, stoppingToken))
                {
                    await StepAsync(campaign, stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogStepFailed(logger, error);
            }

            try
            {
                await _wake.WaitAsync(options.Value.TickInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StepAsync(CampaignRecord campaign, CancellationToken cancellationToken)
    {
        var artifact = await store.GetArtifactAsync(campaign.Tenant, campaign.ArtifactId, cancellationToken);
        if (artifact is null)
        {
            return;
        }

        var agents = await store.ListCampaignAgentsAsync(campaign.Id, cancellationToken);
        var stage = agents.Where(a => a.Stage == campaign.CurrentStage).ToList();
        var now = time.GetUtcNow();
        for (var i = 0; i < stage.Count; i++)
        {
            var agent = stage[i];

            // An agent streaming to another replica is that replica's: only it can send the directive, and only it
            // has the agent's health for the soak (here it would read as no health and fail the gate).
            var online = presence.FindLocal(agent.AgentId);
            if (online is null && presence.Find(agent.AgentId) is not null)
            {
                continue;
            }

            if (agent.State == CampaignStates.Pending && online?.Health is { } health)
            {
                stage[i] = await SendAsync(campaign, artifact, agent, online, health, now, cancellationToken);
            }
            else if (agent.State == CampaignStates.Soaking)
            {
                var next = HealthGate.Check(agent, campaign, artifact.Kind, online is not null, online?.Health, now, options.Value.SoakOfflineGrace);

                // Conditional on the state read: an agent report that came in meanwhile wins.
                if (!ReferenceEquals(next, agent) && await store.UpdateCampaignAgentAsync(next, agent.State, cancellationToken))
                {
                    stage[i] = next;
                }
            }
            else if (Silent(campaign, agent, now) is { } silent && await store.UpdateCampaignAgentAsync(silent, agent.State, cancellationToken))
            {
                stage[i] = silent;
                LogNoReport(logger, campaign.Id, agent.AgentId, silent.Detail!);
                await audit.RecordAsync("system", campaign.Tenant, "campaign.no_report", campaign.Id, AuditLog.Ok, $"agent {agent.AgentId}: {silent.Detail}", cancellationToken);
            }
        }

        var failed = stage.Count(a => CampaignStates.IsFailure(a.State));
        if (failed - campaign.AcceptedFailures > campaign.FailureThreshold * stage.Count)
        {
            var detail = $"{failed} of {stage.Count} agents of stage {campaign.CurrentStage + 1} ({campaign.Stages[campaign.CurrentStage]}%) failed, above the threshold of {campaign.FailureThreshold:0.##}";
            if (await store.UpdateCampaignAsync(
                campaign.Id, CampaignStates.Running, campaign.CurrentStage, CampaignStates.Paused, campaign.CurrentStage, campaign.AcceptedFailures, detail, cancellationToken))
            {
                LogPaused(logger, campaign.Id, detail);
                await audit.RecordAsync("system", campaign.Tenant, "campaign.pause", campaign.Id, AuditLog.Ok, detail, cancellationToken);
            }

            return;
        }

        if (stage.All(a => CampaignStates.IsDone(a.State)))
        {
            await PromoteAsync(campaign, agents, cancellationToken);
        }
    }

    /// <summary>
    /// Records the directive as sent (with the baseline) before sending it, so that the agent's first progress
    /// finds its row ready; when the agent's queue refuses it, the row goes back to pending.
    /// </summary>
    private async Task<CampaignAgentRecord> SendAsync(
        CampaignRecord campaign, ArtifactRecord artifact, CampaignAgentRecord agent, AgentPresence online, AgentHealth health, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sent = agent with { State = CampaignStates.Sent, Baseline = HealthGate.Sample(health), SentAt = now, Detail = $"directive sent, running {online.AgentVersion}" };
        if (!await store.UpdateCampaignAgentAsync(sent, CampaignStates.Pending, cancellationToken))
        {
            return agent;
        }

        if (sessions.TrySend(agent.AgentId, Directive(campaign, artifact)))
        {
            return sent;
        }

        // The agent's queue is full: pending again, sent at a later tick (unless the agent answered already).
        await store.UpdateCampaignAgentAsync(agent, CampaignStates.Sent, cancellationToken);
        return agent;
    }

    /// <summary>
    /// An agent that got its directive and then stayed silent (no progress since the directive or its last report) for
    /// the campaign's report timeout: failed with reason <c>no_report</c>, so that the threshold can pause the campaign
    /// instead of waiting for it forever. Null when the agent is not silent, or not waiting on a report at all.
    /// </summary>
    private static CampaignAgentRecord? Silent(CampaignRecord campaign, CampaignAgentRecord agent, DateTimeOffset now)
    {
        if (agent.State != CampaignStates.Sent && !CampaignStates.InProgress.Contains(agent.State))
        {
            return null;
        }

        var since = agent.ReportedAt ?? agent.SentAt;
        if (since is null || now - since.Value < TimeSpan.FromSeconds(campaign.ReportTimeoutSeconds))
        {
            return null;
        }

        var last = agent.ReportedAt is null ? "the directive went out" : $"its last report ({agent.State})";
        return agent with
        {
            State = CampaignStates.Failed,
            Reason = CampaignStates.NoReport,
            Detail = $"no progress report within {campaign.ReportTimeoutSeconds} s after {last} at {since.Value:O}",
        };
    }

    private async Task PromoteAsync(CampaignRecord campaign, IReadOnlyList<CampaignAgentRecord> agents, CancellationToken cancellationToken)
    {
        // Stages that received no agent (a small target and close percentages) are promoted at once.
        var next = campaign.CurrentStage + 1;
        while (next < campaign.Stages.Count && !agents.Any(a => a.Stage == next))
        {
            next++;
        }

        var done = next >= campaign.Stages.Count;
        var state = done ? CampaignStates.Completed : CampaignStates.Running;
        if (await store.UpdateCampaignAsync(campaign.Id, CampaignStates.Running, campaign.CurrentStage, state, Math.Min(next, campaign.Stages.Count), 0, null, cancellationToken))
        {
            var detail = done ? "every stage promoted" : $"stage {campaign.CurrentStage + 1} promoted, stage {next + 1} ({campaign.Stages[next]}%) starts";
            LogPromoted(logger, campaign.Id, detail);
            await audit.RecordAsync("system", campaign.Tenant, done ? "campaign.complete" : "campaign.promote", campaign.Id, AuditLog.Ok, detail, cancellationToken);
            Wake();
        }
    }

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "Campaign {CampaignId} paused: {Detail}")]
    private static partial void LogPaused(ILogger logger, string campaignId, string detail);

    [LoggerMessage(EventId = 7602, Level = LogLevel.Information, Message = "Campaign {CampaignId}: {Detail}")]
    private static partial void LogPromoted(ILogger logger, string campaignId, string detail);

    [LoggerMessage(EventId = 7605, Level = LogLevel.Warning, Message = "Campaign {CampaignId}: agent {AgentId} failed, no report: {Detail}")]
    private static partial void LogNoReport(ILogger logger, string campaignId, string agentId, string detail);

    [LoggerMessage(EventId = 7603, Level = LogLevel.Error, Message = "A campaign step failed; the next tick tries again")]
    private static partial void LogStepFailed(ILogger logger, Exception error);
}
