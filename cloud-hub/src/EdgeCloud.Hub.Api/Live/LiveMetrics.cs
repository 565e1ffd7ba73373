using System.Diagnostics.Metrics;

namespace EdgeCloud.Hub.Api.Live;

/// <summary>Counters of the live streams (meter <see cref="MeterName"/>).</summary>
internal sealed class LiveMetrics
{
    public const string MeterName = "EdgeCloud.Hub.Live";

    private readonly Counter<long> _dropped;
    private int _clients;

    public LiveMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("edgecloud.hub.live.clients", () => Volatile.Read(ref _clients), "{client}", "Open live streams (telemetry and alarm events)");
        _dropped = meter.CreateCounter<long>("edgecloud.hub.live.dropped", "{client}", "Live clients dropped for falling behind, by reason (overflow, write_timeout)");
    }

    public void Opened() => Interlocked.Increment(ref _clients);

    public void Closed() => Interlocked.Decrement(ref _clients);

    public void Dropped(string reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
