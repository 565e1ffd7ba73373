namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// An incident as the API, the event stream and webhooks show it (the contract shared with the dashboard):
/// times ISO-8601 UTC, absent values null. The tenant and the dedupe key stay inside the hub.
/// </summary>
public sealed record IncidentView(
    long Id,
    string AgentId,
    string Source,
    string? Rule,
    string? Tag,
    int Severity,
    string State,
    int Level,
    string Message,
    string OpenedAt,
    string LastEventAt,
    string? AcknowledgedAt,
    string? AcknowledgedBy,
    string? SnoozedUntil,
    string? ResolvedAt)
{
    /// <summary>The view of a stored incident.</summary>
    public static IncidentView From(IncidentRecord incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(
            incident.Id, incident.AgentId, incident.Source, incident.Rule, incident.Tag, incident.Severity, incident.State, incident.Level, incident.Message,
            Iso(incident.OpenedAt), Iso(incident.LastEventAt), Iso(incident.AcknowledgedAt), incident.AcknowledgedBy, Iso(incident.SnoozedUntil), Iso(incident.ResolvedAt));
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Iso(DateTimeOffset? time) => time is { } t ? Iso(t) : null;
}
