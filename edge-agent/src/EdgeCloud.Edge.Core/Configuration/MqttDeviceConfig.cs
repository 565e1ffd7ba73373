namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// An MQTT broker the agent subscribes to (southbound): every subscription maps the messages of a
/// topic filter (JSON) or of one Sparkplug B edge node to tags of this device. Tag names are unique
/// across the device's subscriptions.
/// </summary>
/// <param name="Name">Unique device name, used in tag addresses (<c>device/tag</c>).</param>
/// <param name="Connection">How the broker is reached and the session kept.</param>
/// <param name="Subscriptions">What is subscribed and how payloads become tags; at least one.</param>
public sealed record MqttDeviceConfig(
    string Name,
    MqttConnectionConfig Connection,
    IReadOnlyList<MqttSubscriptionConfig> Subscriptions) : DeviceConfig(Name, ProtocolName)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "mqtt";
}
