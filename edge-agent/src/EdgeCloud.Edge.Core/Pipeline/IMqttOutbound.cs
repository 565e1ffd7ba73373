namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// The way out to the local MQTT broker for messages that are not tag values: alarm events and
/// rule actions. Implemented by the MQTT northbound publisher, which shares its bounded queue
/// (drop oldest, counted) between tags and these messages; <see cref="TryQueue"/> never waits,
/// so the rules may call it from the data path. Thread-safe.
/// </summary>
public interface IMqttOutbound
{
    /// <summary>True when the site configures a broker to publish to; false means every message is refused.</summary>
    bool IsConfigured { get; }

    /// <summary>Queues one message; false when nothing is configured to publish it.</summary>
    bool TryQueue(string topic, byte[] payload, int qos, bool retain);
}
