using EdgeCloud.Edge.Mqtt.Sparkplug;
using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Southbound.Sparkplug;

/// <summary>Metrics of births and data messages: learning aliases and types, and turning values into points.</summary>
internal sealed partial class SparkplugNodeMapper
{
    private void Learn(string? device, Payload birth)
    {
        foreach (var metric in birth.Metrics)
        {
            if (!metric.HasName)
            {
                continue;
            }

            if (metric.HasAlias)
            {
                _aliases[(device, metric.Alias)] = metric.Name;
            }

            if (metric.HasDatatype)
            {
                _types[(device, metric.Name)] = (SparkplugDataType)metric.Datatype;
            }
        }
    }

    private void Emit(string? device, Payload message, DateTimeOffset stamp, List<DataPoint> points, List<MqttApplicationMessage>? replies, bool birth)
    {
        HashSet<string>? seen = birth ? new(StringComparer.Ordinal) : null;
        foreach (var metric in message.Metrics)
        {
            string? name = metric.HasName ? metric.Name : null;
            if (name is null && !(metric.HasAlias && _aliases.TryGetValue((device, metric.Alias), out name)))
            {
                RequestRebirth(replies, metric.HasAlias ? $"unknown alias {metric.Alias}" : "a metric with neither name nor alias");
                continue;
            }

            if (!_tagByMetric.TryGetValue((device, name), out var mapped))
            {
                continue;
            }

            seen?.Add(name);
            var at = metric.HasTimestamp ? SparkplugValues.FromEpochMilliseconds(metric.Timestamp) ?? stamp : stamp;
            var type = metric.HasDatatype ? (SparkplugDataType)metric.Datatype : _types.GetValueOrDefault((device, name));
            var (tag, key) = mapped;
            if (SparkplugValues.TryConvert(metric, type, out var value, out var reason))
            {
                _problems.Clear(key);
                points.Add(new DataPoint(_problems.Device, tag, at, value, PointQuality.Good));
            }
            else
            {
                _problems.Bad(points, key, tag, at, reason, $"metric '{name}' ({type}) on {NodeName}{(device is null ? "" : "/" + device)} has no usable value");
            }
        }

        if (seen is null)
        {
            return;
        }

        // A configured metric missing from the birth is a mapping error the installer must see.
        foreach (var tag in _config.Tags.Where(t => t.SparkplugDevice == device && !seen.Contains(t.Metric)))
        {
            _problems.Bad(points, $"{_config.Path} tag '{tag.Name}'", tag.Name, stamp, MqttBadReason.PointerNotFound, $"metric '{tag.Metric}' is not in the birth of {NodeName}{(device is null ? "" : "/" + device)}");
        }
    }

    [LoggerMessage(EventId = 6320, Level = LogLevel.Information, Message = "MQTT device {Device}: Sparkplug node {Node} born ({Metrics} metrics, bdSeq {BdSeq})")]
    private static partial void LogNodeBirth(ILogger logger, string device, string node, int metrics, ulong bdSeq);

    [LoggerMessage(EventId = 6321, Level = LogLevel.Warning, Message = "MQTT device {Device}: Sparkplug node {Node} died; its tags are bad until it is born again")]
    private static partial void LogNodeDeath(ILogger logger, string device, string node);

    [LoggerMessage(EventId = 6322, Level = LogLevel.Warning, Message = "MQTT device {Device}: Sparkplug device {Node}/{SparkplugDevice} died; its tags are bad until it is born again")]
    private static partial void LogDeviceDeath(ILogger logger, string device, string node, string sparkplugDevice);

    [LoggerMessage(EventId = 6323, Level = LogLevel.Information, Message = "MQTT device {Device}: Sparkplug node {Node}: ignoring a stale NDEATH (bdSeq {Stale}, current {Current})")]
    private static partial void LogStaleDeath(ILogger logger, string device, string node, ulong stale, ulong current);

    [LoggerMessage(EventId = 6324, Level = LogLevel.Warning, Message = "MQTT device {Device}: Sparkplug node {Node}: sequence gap, expected {Expected}, got {Seq}")]
    private static partial void LogSeqGap(ILogger logger, string device, string node, int expected, int seq);

    [LoggerMessage(EventId = 6325, Level = LogLevel.Information, Message = "MQTT device {Device}: asking Sparkplug node {Node} to rebirth: {Why}")]
    private static partial void LogRebirth(ILogger logger, string device, string node, string why);
}
