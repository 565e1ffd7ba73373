using System.Diagnostics.Metrics;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>Counters of notification delivery (meter <c>EdgeCloud.Hub.Alerts</c>).</summary>
internal sealed class AlertsMetrics
{
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;

    public AlertsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("EdgeCloud.Hub.Alerts");
        _delivered = meter.CreateCounter<long>("edgecloud_hub_notifications_delivered", description: "Notifications a channel accepted");
        _failed = meter.CreateCounter<long>("edgecloud_hub_notifications_failed", description: "Notifications given up after their attempts, or refused (SSRF policy)");
        _dropped = meter.CreateCounter<long>("edgecloud_hub_notifications_dropped", description: "Notifications dropped because their channel's queue was full (drop-oldest)");
    }

    public void Delivered(string kind) => _delivered.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Failed(string kind) => _failed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dropped() => _dropped.Add(1);
}
