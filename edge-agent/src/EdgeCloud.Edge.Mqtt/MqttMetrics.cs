using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Mqtt;

/// <summary>The MQTT component's counters (meter <c>EdgeCloud.Edge.Mqtt</c>); safe to use from any thread.</summary>
internal sealed class MqttMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "EdgeCloud.Edge.Mqtt";

    private readonly Counter<long> _received;
    private readonly Counter<long> _badPayloads;
    private readonly Counter<long> _rebirths;
    private readonly Counter<long> _published;
    private readonly Counter<long> _dropped;
    private long _badCount;
    private long _droppedCount;
    private long _rebirthCount;

    public MqttMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("edge_mqtt_messages_received", "{message}", "Messages received from subscribed brokers");
        _badPayloads = meter.CreateCounter<long>("edge_mqtt_bad_values", "{value}", "Values that became bad points (unparsable payload, missing pointer, wrong type, unknown alias)");
        _rebirths = meter.CreateCounter<long>("edge_mqtt_sparkplug_rebirth_requests", "{request}", "Sparkplug rebirth requests sent (sequence gap, unknown alias, data before birth)");
        _published = meter.CreateCounter<long>("edge_mqtt_northbound_published", "{message}", "Messages published on northbound routes");
        _dropped = meter.CreateCounter<long>("edge_mqtt_northbound_dropped", "{message}", "Northbound messages dropped because the queue was full (drop-oldest)");
    }

    /// <summary>Bad values so far (also exported as a counter); read by tests and diagnostics.</summary>
    public long BadValues => Interlocked.Read(ref _badCount);

    /// <summary>Northbound messages dropped so far.</summary>
    public long Dropped => Interlocked.Read(ref _droppedCount);

    /// <summary>Sparkplug rebirth requests sent so far.</summary>
    public long RebirthRequests => Interlocked.Read(ref _rebirthCount);

    public void Received() => _received.Add(1);

    public void BadValue()
    {
        Interlocked.Increment(ref _badCount);
        _badPayloads.Add(1);
    }

    public void RebirthRequested()
    {
        Interlocked.Increment(ref _rebirthCount);
        _rebirths.Add(1);
    }

    public void Published() => _published.Add(1);

    public void CountDropped()
    {
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1);
    }
}
