namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>One target agent of a campaign: its stage, where its install stands, and its health gate.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="Stage">Index of the stage it belongs to.</param>
/// <param name="State">
/// <c>pending</c> (no directive yet), <c>sent</c>, the agent's own progress states (<c>downloading</c> ..
/// <c>switched</c>), <c>soaking</c> (install succeeded, health gate running), <c>healthy</c> (gate passed),
/// <c>failed</c>, <c>rolled_back</c>, <c>unhealthy</c> (gate failed).
/// </param>
/// <param name="Reason">Machine-readable cause of a failure, or null.</param>
/// <param name="Detail">Human-readable detail of the last step, or null.</param>
/// <param name="RunningVersion">The version the agent said it runs, or null.</param>
/// <param name="BytesDone">Download progress.</param>
/// <param name="Baseline">Its health before the directive.</param>
/// <param name="SoakStart">Its health when the install succeeded (taken at the first report after it).</param>
/// <param name="SentAt">When the directive went out, or null.</param>
/// <param name="SoakUntil">When the soak ends, or null.</param>
/// <param name="OfflineSince">During the soak: since when it is disconnected, or null.</param>
/// <param name="ReportedAt">When its last RolloutProgress arrived, or null (the report timeout counts from it, else from <paramref name="SentAt"/>).</param>
public sealed record CampaignAgentRecord(
    string CampaignId,
    string AgentId,
    int Stage,
    string State,
    string? Reason,
    string? Detail,
    string? RunningVersion,
    long BytesDone,
    HealthSample? Baseline,
    HealthSample? SoakStart,
    DateTimeOffset? SentAt,
    DateTimeOffset? SoakUntil,
    DateTimeOffset? OfflineSince,
    DateTimeOffset? ReportedAt = null);
