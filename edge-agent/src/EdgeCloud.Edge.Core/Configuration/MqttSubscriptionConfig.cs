namespace EdgeCloud.Edge.Configuration;

/// <summary>One subscription of an <see cref="MqttDeviceConfig"/>: a topic filter and how its payloads become tags.</summary>
/// <param name="Qos">Quality of service asked for (0 or 1; 1 by default, so messages survive a reconnect).</param>
/// <param name="Path">Where it was configured (<c>$.devices[0].subscriptions[1]</c>), for messages.</param>
public abstract record MqttSubscriptionConfig(int Qos, string Path)
{
    /// <summary>The topic filters to subscribe to.</summary>
    public abstract IReadOnlyList<string> TopicFilters { get; }
}
