namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>One escalation level of a rule: reached once an incident is unacknowledged for <paramref name="AfterSeconds"/> since it opened; notifies <paramref name="Channels"/>.</summary>
/// <param name="AfterSeconds">0 for level 1 (notified at opening).</param>
/// <param name="Channels">Channel ids of the rule's tenant.</param>
public sealed record EscalationLevel(int AfterSeconds, IReadOnlyList<string> Channels);
