namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>
/// A tenant's alert rule, as validated by <see cref="HubRuleParser"/>. The kinds <see cref="HubRuleKinds.AgentOffline"/>,
/// <see cref="HubRuleKinds.Backlog"/> and <see cref="HubRuleKinds.NoData"/> open incidents themselves;
/// <see cref="HubRuleKinds.AgentAlarm"/> opens none but says how the agents' own alarms escalate and whom they notify.
/// </summary>
/// <param name="Id">Its id inside the tenant (the URL segment).</param>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Kind">One of <see cref="HubRuleKinds"/>.</param>
/// <param name="AgentId">Only this agent, or null.</param>
/// <param name="Labels">Only agents carrying every one of these labels (empty: all of the tenant's).</param>
/// <param name="Tag">The tag of a no-data rule (<c>device/tag</c>), else null.</param>
/// <param name="Seconds">Offline / silent for at least this long (offline and no-data).</param>
/// <param name="Batches">Backlog deeper than this many batches (backlog).</param>
/// <param name="MinSeverity">Agent alarms at or above this severity (agent-alarm).</param>
/// <param name="Severity">Severity of the incidents it opens.</param>
/// <param name="Enabled">A disabled rule opens nothing and escalates nothing.</param>
/// <param name="Escalation">Level 1 first; level n+1 is reached when still unacknowledged <see cref="EscalationLevel.AfterSeconds"/> after opening.</param>
public sealed record HubRule(
    string Id,
    string Tenant,
    string Kind,
    string? AgentId,
    IReadOnlyList<string> Labels,
    string? Tag,
    int Seconds,
    long Batches,
    int MinSeverity,
    int Severity,
    bool Enabled,
    IReadOnlyList<EscalationLevel> Escalation)
{
    /// <summary>The dedupe key of incidents this rule opens for a tag (or the agent as a whole).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string IncidentKey => $"rule:{Id}:{Tag}";

    /// <summary>True when the rule concerns an agent with <paramref name="agentId"/> and <paramref name="labels"/>.</summary>
    public bool Matches(string agentId, IReadOnlyList<string> labels) =>
        (AgentId is null || string.Equals(AgentId, agentId, StringComparison.Ordinal))
        && Labels.All(l => labels.Contains(l, StringComparer.Ordinal));
}
