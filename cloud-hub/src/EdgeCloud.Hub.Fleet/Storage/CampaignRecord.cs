namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// A rollout campaign: what to install (an artifact), on which agents (resolved at creation and recorded as
/// <see cref="CampaignAgentRecord"/> rows), in which cumulative stages, with which health gate. Every change
/// raises <see cref="Revision"/>, which the live stream watches.
/// </summary>
/// <param name="Id">Assigned by the hub.</param>
/// <param name="Tenant">Owner.</param>
/// <param name="Name">Admin's name for it.</param>
/// <param name="ArtifactId">The artifact it installs.</param>
/// <param name="TargetLabels">Labels every target carried at creation (empty when by group).</param>
/// <param name="TargetGroup">Group of the targets, or null when by labels.</param>
/// <param name="Stages">Cumulative percentages, increasing, the last 100.</param>
/// <param name="SoakSeconds">How long an agent must stay healthy after its install succeeded.</param>
/// <param name="FailureThreshold">Failed fraction of a stage (0..1) above which the campaign pauses.</param>
/// <param name="HealthWindowSeconds">Given to agents: a new agent build must report healthy within it.</param>
/// <param name="AllowDowngrade">Given to agents: install even an older version.</param>
/// <param name="PollErrorMargin">Poll errors per produced point the soak may add to the baseline's.</param>
/// <param name="OutboxMargin">Outbox batches the soak may add to the baseline's.</param>
/// <param name="State"><c>running</c>, <c>paused</c>, <c>aborted</c> or <c>completed</c>.</param>
/// <param name="CurrentStage">Index of the stage being installed (equals the stage count when completed).</param>
/// <param name="AcceptedFailures">Failures of the current stage an admin accepted by resuming; not counted against the threshold again.</param>
/// <param name="Detail">Why it is paused or aborted, or null.</param>
/// <param name="Revision">Raised by every change of the campaign or one of its agents.</param>
/// <param name="CreatedBy">The admin who created it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="ReportTimeoutSeconds">
/// How long an agent that got its directive may stay silent (no progress since the directive or its last report)
/// before it counts as failed with reason <c>no_report</c>.
/// </param>
public sealed record CampaignRecord(
    string Id,
    string Tenant,
    string Name,
    string ArtifactId,
    IReadOnlyList<string> TargetLabels,
    string? TargetGroup,
    IReadOnlyList<int> Stages,
    int SoakSeconds,
    double FailureThreshold,
    int HealthWindowSeconds,
    bool AllowDowngrade,
    double PollErrorMargin,
    long OutboxMargin,
    string State,
    int CurrentStage,
    int AcceptedFailures,
    string? Detail,
    long Revision,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int ReportTimeoutSeconds = CampaignRecord.DefaultReportTimeoutSeconds)
{
    /// <summary>30 minutes: longer than a slow download of a large agent build, short enough not to stall a campaign for a day.</summary>
    public const int DefaultReportTimeoutSeconds = 1800;
}
