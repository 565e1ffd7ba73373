using EdgeCloud.Hub.Fleet.Storage;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>The API's shape of a campaign (docs/rollouts.md): its stages with counts and state, and every agent's state.</summary>
internal static class CampaignView
{
    public static object Of(CampaignRecord c, ArtifactRecord? artifact, IReadOnlyList<CampaignAgentRecord> agents) => new
    {
        id = c.Id,
        name = c.Name,
        state = c.State,
        detail = c.Detail,
        artifact = artifact is null ? null : ArtifactView(artifact),
        target = new { labels = c.TargetLabels, group = c.TargetGroup },
        soakSeconds = c.SoakSeconds,
        failureThreshold = c.FailureThreshold,
        healthWindowSeconds = c.HealthWindowSeconds,
        allowDowngrade = c.AllowDowngrade,
        pollErrorMargin = c.PollErrorMargin,
        outboxMargin = c.OutboxMargin,
        reportTimeoutSeconds = c.ReportTimeoutSeconds,
        currentStage = c.CurrentStage,
        revision = c.Revision,
        createdBy = c.CreatedBy,
        createdAt = c.CreatedAt.ToString("O"),
        stages = c.Stages.Select((percent, index) => Stage(c, index, percent, agents.Where(a => a.Stage == index).ToList())).ToList(),
        agents = agents.Select(a => new
        {
            agentId = a.AgentId,
            stage = a.Stage,
            state = a.State,
            reason = a.Reason,
            detail = a.Detail,
            runningVersion = a.RunningVersion,
            bytesDone = a.BytesDone,
            soakUntil = a.SoakUntil?.ToString("O"),
        }).ToList(),
    };

    public static object ArtifactView(ArtifactRecord a) => new
    {
        id = a.Id,
        kind = a.Kind,
        name = a.Name,
        version = a.Version,
        size = a.Size,
        sha256 = a.Sha256,
        chunkSize = a.ChunkSize,
        keyId = a.KeyId,
        uploadedBy = a.UploadedBy,
        uploadedAt = a.UploadedAt.ToString("O"),
    };

    private static object Stage(CampaignRecord c, int index, int percent, List<CampaignAgentRecord> agents)
    {
        var failed = agents.Count(a => CampaignStates.IsFailure(a.State));
        var succeeded = agents.Count(a => CampaignStates.IsSucceeded(a.State));
        var state = index < c.CurrentStage ? "promoted"
            : index > c.CurrentStage ? "pending"
            : c.State == CampaignStates.Paused && failed > c.AcceptedFailures ? "failed"
            : agents.Count > 0 && agents.All(a => CampaignStates.IsSucceeded(a.State) || CampaignStates.IsFailure(a.State)) ? "soaking"
            : "installing";
        return new
        {
            index,
            percent,
            state,
            agents = agents.Count,
            succeeded,
            healthy = agents.Count(a => a.State == CampaignStates.Healthy),
            failed,
            pending = agents.Count - failed - succeeded,
        };
    }
}
