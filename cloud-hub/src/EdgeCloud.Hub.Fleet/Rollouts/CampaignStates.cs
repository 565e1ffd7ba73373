namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>The state names of campaigns and of their agents (docs/rollouts.md).</summary>
internal static class CampaignStates
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Aborted = "aborted";
    public const string Completed = "completed";

    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Soaking = "soaking";
    public const string Healthy = "healthy";
    public const string Failed = "failed";
    public const string RolledBack = "rolled_back";
    public const string Unhealthy = "unhealthy";

    /// <summary>The reason of an agent failed by the hub because it stayed silent past the campaign's report timeout.</summary>
    public const string NoReport = "no_report";

    /// <summary>Progress states an agent reports on its way to succeeded (RolloutProgress.state).</summary>
    public static readonly IReadOnlySet<string> InProgress = new HashSet<string>(StringComparer.Ordinal)
    {
        "downloading", "downloaded", "verified", "installing", "switched",
    };

    /// <summary>States in which the agent may not have the directive yet, or lost it with its process: it is sent again at connect.</summary>
    public static readonly IReadOnlySet<string> Resend = new HashSet<string>(StringComparer.Ordinal)
    {
        Sent, "downloading", "downloaded", "verified",
    };

    public static bool IsFailure(string state) => state is Failed or RolledBack or Unhealthy;

    /// <summary>Counts towards "succeeded": the install is committed (soaking) or passed its soak.</summary>
    public static bool IsSucceeded(string state) => state is Soaking or Healthy;

    /// <summary>Nothing more is expected of the agent for its stage.</summary>
    public static bool IsDone(string state) => state == Healthy || IsFailure(state);
}
