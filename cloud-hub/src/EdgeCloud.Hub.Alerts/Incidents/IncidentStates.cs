namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>The states of an incident, as the API spells them.</summary>
public static class IncidentStates
{
    /// <summary>Open and not acknowledged: escalates with time.</summary>
    public const string Open = "open";

    /// <summary>A user took it; no further escalation.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Quiet until <see cref="IncidentRecord.SnoozedUntil"/>, then open again.</summary>
    public const string Snoozed = "snoozed";

    /// <summary>Over: the alarm cleared, the rule no longer holds, or a user resolved it. Never reopened.</summary>
    public const string Resolved = "resolved";

    /// <summary>Every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Snoozed, Resolved];
}
