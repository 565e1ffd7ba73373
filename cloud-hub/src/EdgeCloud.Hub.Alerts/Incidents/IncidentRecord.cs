namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// One incident as stored. While it is not <see cref="IncidentStates.Resolved"/> it is the only one of its
/// (<see cref="Tenant"/>, <see cref="AgentId"/>, <see cref="Key"/>): a repeated alarm or rule hit updates it
/// instead of opening another. <see cref="Revision"/> grows with every change, across all incidents, so a
/// reader that remembers the highest it saw gets exactly the changes after it.
/// </summary>
/// <param name="Id">Hub-assigned, unique across tenants (0 before it is stored).</param>
/// <param name="Tenant">The tenant of the agent (or of the rule) it concerns.</param>
/// <param name="AgentId">The agent it concerns.</param>
/// <param name="Source"><see cref="IncidentSources.AgentAlarm"/> or <see cref="IncidentSources.HubRule"/>.</param>
/// <param name="Key">The dedupe key: <c>alarm:{alarm id}</c> or <c>rule:{rule id}:{tag}</c>.</param>
/// <param name="Rule">The agent's rule name, or the hub rule's id; null when unknown.</param>
/// <param name="Tag">The tag concerned, or null.</param>
/// <param name="Severity">Higher is worse (the agent's severity, or the hub rule's).</param>
/// <param name="State">One of <see cref="IncidentStates"/>.</param>
/// <param name="Level">Escalation level, 1 when opened.</param>
/// <param name="Message">What happened, in words.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="LastEventAt">When the last event concerning it arrived.</param>
/// <param name="AcknowledgedAt">When a user acknowledged it, or null.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, or null.</param>
/// <param name="SnoozedUntil">While <see cref="State"/> is snoozed: until when.</param>
/// <param name="ResolvedAt">When it was resolved, or null.</param>
/// <param name="Revision">Store-wide change counter at its last change.</param>
public sealed record IncidentRecord(
    long Id,
    string Tenant,
    string AgentId,
    string Source,
    string Key,
    string? Rule,
    string? Tag,
    int Severity,
    string State,
    int Level,
    string Message,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastEventAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? SnoozedUntil,
    DateTimeOffset? ResolvedAt,
    long Revision);
