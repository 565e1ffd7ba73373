using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// Turns mapping problems into bad points, counts every one, and logs a problem once when a
/// subscription or tag enters it (and once when it recovers), never per message: a device that
/// publishes a broken payload ten times a second must not flood the journal. Keys come from the
/// config (subscription path, tag), so the set of logged problems is bounded. Used by one
/// message handler at a time; not thread-safe.
/// </summary>
internal sealed partial class PayloadProblems(string device, MqttMetrics metrics, ILogger logger)
{
    private readonly Dictionary<string, MqttBadReason> _active = new(StringComparer.Ordinal);

    /// <summary>The agent's name of the MQTT device the points belong to.</summary>
    public string Device => device;

    /// <summary>Adds a bad point for <paramref name="tag"/> and logs the problem if it is new for <paramref name="key"/>.</summary>
    public void Bad(List<DataPoint> output, string key, string tag, DateTimeOffset at, MqttBadReason reason, string detail, PointQuality quality = PointQuality.Bad)
    {
        metrics.BadValue();
        output.Add(new DataPoint(device, tag, at, TagValue.None, quality, (uint)reason));
        Note(key, reason, detail);
    }

    /// <summary>Records a problem that has no point of its own (for example a timestamp); logs it if new.</summary>
    public void Note(string key, MqttBadReason reason, string detail)
    {
        if (!_active.TryGetValue(key, out var known) || known != reason)
        {
            _active[key] = reason;
            LogProblem(logger, device, key, reason, detail);
        }
    }

    /// <summary>The problem at <paramref name="key"/>, if any, is over.</summary>
    public void Clear(string key)
    {
        if (_active.Count > 0 && _active.Remove(key, out var reason))
        {
            LogRecovered(logger, device, key, reason);
        }
    }

    [LoggerMessage(EventId = 6310, Level = LogLevel.Warning, Message = "MQTT device {Device}: {Key}: {Reason}: {Detail} (logged once until it recovers; every occurrence is counted in edge_mqtt_bad_values)")]
    private static partial void LogProblem(ILogger logger, string device, string key, MqttBadReason reason, string detail);

    [LoggerMessage(EventId = 6311, Level = LogLevel.Information, Message = "MQTT device {Device}: {Key}: recovered from {Reason}")]
    private static partial void LogRecovered(ILogger logger, string device, string key, MqttBadReason reason);
}
