namespace EdgeCloud.Edge.Mqtt.Sparkplug;

/// <summary>
/// A Sparkplug B topic, <c>spBv1.0/{group}/{type}/{node}[/{device}]</c> (Sparkplug 3.0, 4.1.1).
/// <see cref="Device"/> is null for the node's own messages (NBIRTH, NDATA, NDEATH, NCMD).
/// </summary>
internal readonly record struct SparkplugTopic(string Group, string MessageType, string Node, string? Device)
{
    public const string Namespace = "spBv1.0";

    public static bool TryParse(string topic, out SparkplugTopic parsed)
    {
        parsed = default;
        var levels = topic.Split('/');
        if (levels.Length is not (4 or 5) || levels[0] != Namespace || levels.Any(l => l.Length == 0))
        {
            return false;
        }

        parsed = new SparkplugTopic(levels[1], levels[2], levels[3], levels.Length == 5 ? levels[4] : null);
        return true;
    }

    public override string ToString() =>
        Device is null ? $"{Namespace}/{Group}/{MessageType}/{Node}" : $"{Namespace}/{Group}/{MessageType}/{Node}/{Device}";
}
