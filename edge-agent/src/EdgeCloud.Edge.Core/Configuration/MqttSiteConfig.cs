namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The site config's optional <c>mqtt</c> section: a broker hosted by the agent, and routes that
/// publish the agent's tags to a local broker for SCADA or Node-RED.
/// </summary>
/// <param name="Broker">The agent's own broker, or null when it hosts none.</param>
/// <param name="Publish">Northbound publishing, or null when nothing is published.</param>
public sealed record MqttSiteConfig(MqttBrokerConfig? Broker, MqttPublishConfig? Publish);

/// <summary>A broker hosted by the agent (MQTTnet) for devices that publish and local consumers.</summary>
/// <param name="BindAddress">Address listened on (127.0.0.1 by default; 0.0.0.0 for the plant network).</param>
/// <param name="Port">TCP port (1883 by default).</param>
public sealed record MqttBrokerConfig(string BindAddress, int Port);

/// <summary>
/// Where and how the agent publishes its tags. The queue is bounded; when the broker is slow or
/// away the oldest messages are dropped and counted: the outbox, not MQTT, is the durable record.
/// </summary>
/// <param name="Connection">The broker published to.</param>
/// <param name="QueueCapacity">Messages waiting to be published, at most.</param>
/// <param name="Routes">Routes, each tried for every point (a point may match several).</param>
public sealed record MqttPublishConfig(MqttConnectionConfig Connection, int QueueCapacity, IReadOnlyList<MqttRouteConfig> Routes)
{
    /// <summary>Routes for alarm events (every state change of an alarm as JSON); empty when alarms are not published.</summary>
    public IReadOnlyList<MqttAlarmRouteConfig> AlarmRoutes { get; init; } = [];
}

/// <summary>One northbound route.</summary>
/// <param name="TagFilter">Glob on <c>device/tag</c>: <c>*</c> is any run of characters but <c>/</c>, <c>?</c> one character.</param>
/// <param name="Topic">Topic template with <c>{agent}</c>, <c>{device}</c> and <c>{tag}</c>.</param>
/// <param name="Qos">Quality of service of the publishes (0 or 1).</param>
/// <param name="Retain">Whether the broker keeps the last message for new subscribers.</param>
public sealed record MqttRouteConfig(string TagFilter, string Topic, int Qos, bool Retain);

/// <summary>One northbound route for alarm events.</summary>
/// <param name="RuleFilter">Glob on the rule name (<c>*</c> for every rule).</param>
/// <param name="MinSeverity">Events of alarms below this severity are not published (1 publishes all).</param>
/// <param name="Topic">Topic template with <c>{agent}</c>, <c>{rule}</c>, <c>{device}</c> and <c>{tag}</c> (the alarm's tag).</param>
/// <param name="Qos">Quality of service of the publishes (0 or 1).</param>
/// <param name="Retain">Whether the broker keeps the last event of each topic for new subscribers.</param>
public sealed record MqttAlarmRouteConfig(string RuleFilter, int MinSeverity, string Topic, int Qos, bool Retain);
