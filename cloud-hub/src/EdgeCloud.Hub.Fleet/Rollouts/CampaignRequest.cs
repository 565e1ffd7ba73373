namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>A validated <c>POST /api/v1/campaigns</c> body.</summary>
internal sealed record CampaignRequest(
    string Name,
    string ArtifactId,
    IReadOnlyList<string> Labels,
    string? Group,
    IReadOnlyList<int> Stages,
    int SoakSeconds,
    double FailureThreshold,
    int HealthWindowSeconds,
    bool AllowDowngrade,
    double PollErrorMargin,
    long OutboxMargin,
    int ReportTimeoutSeconds);
