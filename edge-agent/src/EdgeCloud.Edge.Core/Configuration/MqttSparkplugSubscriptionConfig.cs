namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// One Sparkplug B edge node (<c>spBv1.0/{group}/+/{node}[/{device}]</c>): its births define metrics
/// and aliases, its data messages update them, its deaths make them bad. Tags map a metric name,
/// of the node itself or of one of its devices, to a tag.
/// </summary>
/// <param name="GroupId">Sparkplug group id.</param>
/// <param name="EdgeNode">Sparkplug edge node id.</param>
/// <param name="Qos">Quality of service asked for.</param>
/// <param name="Tags">Metrics read; at least one.</param>
/// <param name="Path">Where it was configured, for messages.</param>
public sealed record MqttSparkplugSubscriptionConfig(
    string GroupId,
    string EdgeNode,
    int Qos,
    IReadOnlyList<MqttSparkplugTagConfig> Tags,
    string Path) : MqttSubscriptionConfig(Qos, Path)
{
    /// <summary>The Sparkplug B topic namespace.</summary>
    public const string Namespace = "spBv1.0";

    /// <inheritdoc />
    public override IReadOnlyList<string> TopicFilters =>
        [$"{Namespace}/{GroupId}/+/{EdgeNode}", $"{Namespace}/{GroupId}/+/{EdgeNode}/+"];
}

/// <summary>One tag of a Sparkplug subscription.</summary>
/// <param name="Name">Tag name, unique in its device.</param>
/// <param name="Metric">Metric name as in the birth certificate (<c>Motor/Speed</c>).</param>
/// <param name="SparkplugDevice">The Sparkplug device id, or null for a metric of the edge node itself.</param>
public sealed record MqttSparkplugTagConfig(string Name, string Metric, string? SparkplugDevice);
