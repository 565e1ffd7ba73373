namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// Why an MQTT point is bad or uncertain; carried in <c>DataPoint.StatusDetail</c> so the hub and
/// the installer can tell a broken payload from a wrong mapping or a dead device.
/// </summary>
public enum MqttBadReason : uint
{
    /// <summary>The point is good.</summary>
    None = 0,

    /// <summary>The payload is not valid JSON / not a Sparkplug protobuf payload.</summary>
    PayloadNotParsed = 1,

    /// <summary>The tag's JSON pointer does not resolve in the message, or the Sparkplug metric is missing.</summary>
    PointerNotFound = 2,

    /// <summary>The value there is not of the configured kind.</summary>
    WrongType = 3,

    /// <summary>The configured timestamp is missing or unreadable: the arrival time is used, the point is uncertain.</summary>
    BadTimestamp = 4,

    /// <summary>The Sparkplug edge node or device published its death certificate (or its session is gone).</summary>
    NodeOffline = 5,

    /// <summary>A Sparkplug data type the agent does not map to a tag (data set, template, bytes).</summary>
    UnsupportedType = 6,

    /// <summary>A Sparkplug metric marked null.</summary>
    NullValue = 7,

    /// <summary>The agent lost its connection to the broker.</summary>
    BrokerDisconnected = 8,
}
