using EdgeCloud.Hub.Alerts.Incidents;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>One message to send: <paramref name="Incident"/> as it was when <paramref name="Event"/> happened, to a channel of its tenant.</summary>
/// <param name="Tenant">The tenant of the channel and the incident.</param>
/// <param name="ChannelId">The channel.</param>
/// <param name="Event"><c>incident.opened</c> or <c>incident.escalated</c>.</param>
/// <param name="Incident">The incident.</param>
internal sealed record Notification(string Tenant, string ChannelId, string Event, IncidentRecord Incident);
