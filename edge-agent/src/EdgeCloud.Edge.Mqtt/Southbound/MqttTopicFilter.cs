namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// One MQTT topic filter, split once (MQTT 5, 4.7): '+' is exactly one level, a final '#' any
/// number of levels including none ("a/#" matches "a"), and wildcards at the first level never
/// match topics that start with '$'. Immutable.
/// </summary>
internal sealed class MqttTopicFilter(string filter)
{
    private readonly string[] _levels = filter.Split('/');

    public string Filter { get; } = filter;

    public bool IsMatch(string topic)
    {
        if (topic.StartsWith('$') && _levels[0] is "+" or "#")
        {
            return false;
        }

        var level = 0;
        foreach (var range in topic.AsSpan().Split('/'))
        {
            if (level == _levels.Length)
            {
                return false;
            }

            var expected = _levels[level++];
            if (expected == "#")
            {
                return true;
            }

            if (expected != "+" && !topic.AsSpan(range).SequenceEqual(expected))
            {
                return false;
            }
        }

        return level == _levels.Length || (level == _levels.Length - 1 && _levels[level] == "#");
    }
}
