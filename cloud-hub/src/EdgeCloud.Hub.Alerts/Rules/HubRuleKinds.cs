namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>The kinds of hub rules, as the API spells them.</summary>
public static class HubRuleKinds
{
    /// <summary>An agent without an open stream, not heard from for <see cref="HubRule.Seconds"/>.</summary>
    public const string AgentOffline = "agent-offline";

    /// <summary>An agent reporting more than <see cref="HubRule.Batches"/> batches not yet sent.</summary>
    public const string Backlog = "backlog";

    /// <summary>No point of <see cref="HubRule.Tag"/> stored for <see cref="HubRule.Seconds"/>.</summary>
    public const string NoData = "no-data";

    /// <summary>Escalation and channels of the agents' own alarms (opens no incident itself).</summary>
    public const string AgentAlarm = "agent-alarm";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [AgentOffline, Backlog, NoData, AgentAlarm];
}
