using System.Buffers;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Sparkplug;
using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using EdgeCloud.Edge.Points;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Southbound.Sparkplug;

/// <summary>
/// Follows one Sparkplug B edge node as a host application does (Sparkplug 3.0, chapter 5): NBIRTH
/// and DBIRTH define metrics and aliases, NDATA and DDATA update them by alias or name, NDEATH and
/// DDEATH make the node's or device's tags bad. The sequence number (0-255, wrapping) is checked on
/// every message but NDEATH; a gap, an unknown alias or data before a birth sends a rebirth request
/// (NCMD <c>Node Control/Rebirth</c>), at most one per <see cref="RebirthInterval"/> until the birth
/// arrives. An NDEATH whose bdSeq differs from the current birth's is stale and ignored.
/// </summary>
internal sealed partial class SparkplugNodeMapper : IPayloadMapper
{
    /// <summary>Least time between two rebirth requests to one node while no birth has answered.</summary>
    public static readonly TimeSpan RebirthInterval = TimeSpan.FromSeconds(2);

    private readonly MqttSparkplugSubscriptionConfig _config;
    private readonly PayloadProblems _problems;
    private readonly MqttMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(string? Device, string Metric), (string Tag, string Key)> _tagByMetric = [];
    private readonly Dictionary<(string? Device, ulong Alias), string> _aliases = [];
    private readonly Dictionary<(string? Device, string Metric), SparkplugDataType> _types = [];
    private readonly HashSet<string> _devicesBorn = new(StringComparer.Ordinal);
    private bool _nodeBorn;
    private ulong? _bdSeq;
    private int _expectedSeq = -1;
    private DateTimeOffset? _lastRebirth;

    public SparkplugNodeMapper(MqttSparkplugSubscriptionConfig config, PayloadProblems problems, MqttMetrics metrics, TimeProvider time, ILogger logger)
    {
        _config = config;
        _problems = problems;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        foreach (var tag in config.Tags)
        {
            _tagByMetric[(tag.SparkplugDevice, tag.Metric)] = (tag.Name, $"{config.Path} tag '{tag.Name}'");
        }

        TagNames = [.. config.Tags.Select(t => t.Name)];
    }

    public IReadOnlyList<string> TopicFilters => _config.TopicFilters;

    public int Qos => _config.Qos;

    public IReadOnlyList<string> TagNames { get; }

    private string NodeName => $"{_config.GroupId}/{_config.EdgeNode}";

    public bool Accepts(string topic) =>
        SparkplugTopic.TryParse(topic, out var t) && t.Group == _config.GroupId && t.Node == _config.EdgeNode;

    public void Map(string topic, in ReadOnlySequence<byte> payload, DateTimeOffset receivedAt, List<DataPoint> points, List<MqttApplicationMessage> replies)
    {
        if (!SparkplugTopic.TryParse(topic, out var t) || t.MessageType is "NCMD" or "DCMD" or "STATE")
        {
            return;
        }

        Payload message;
        try
        {
            message = Payload.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            foreach (var tag in _config.Tags.Where(tag => tag.SparkplugDevice == t.Device))
            {
                _problems.Bad(points, _config.Path, tag.Name, receivedAt, MqttBadReason.PayloadNotParsed, $"payload on '{topic}' is not a Sparkplug B payload: {ex.Message}");
            }

            return;
        }

        _problems.Clear(_config.Path);
        var stamp = message.HasTimestamp ? SparkplugValues.FromEpochMilliseconds(message.Timestamp) ?? receivedAt : receivedAt;
        switch (t.MessageType)
        {
            case "NBIRTH":
                NodeBirth(message, stamp, points);
                break;
            case "DBIRTH" when Born(t.Device, birth: true, message, replies):
                Learn(t.Device, message);
                _devicesBorn.Add(t.Device!);
                Emit(t.Device, message, stamp, points, replies, birth: true);
                break;
            case "NDATA" or "DDATA" when Born(t.Device, birth: false, message, replies):
                Emit(t.Device, message, stamp, points, replies, birth: false);
                break;
            case "NDEATH":
                NodeDeath(message, stamp, points);
                break;
            case "DDEATH" when t.Device is not null:
                CheckSeq(message, replies);
                _devicesBorn.Remove(t.Device);
                Offline(t.Device, stamp, points);
                LogDeviceDeath(_logger, _problems.Device, NodeName, t.Device);
                break;
        }
    }

    private void NodeBirth(Payload message, DateTimeOffset stamp, List<DataPoint> points)
    {
        // A birth starts the node's session over: aliases, types and device births of the
        // previous session mean nothing any more (Sparkplug 3.0, 7.1.1).
        _aliases.Clear();
        _types.Clear();
        _devicesBorn.Clear();
        _nodeBorn = true;
        _lastRebirth = null;
        _expectedSeq = message.HasSeq ? (int)((message.Seq + 1) % 256) : -1;
        _bdSeq = BdSeq(message);
        Learn(null, message);
        LogNodeBirth(_logger, _problems.Device, NodeName, message.Metrics.Count, _bdSeq ?? 0);
        Emit(null, message, stamp, points, replies: null, birth: true);
    }

    private void NodeDeath(Payload message, DateTimeOffset stamp, List<DataPoint> points)
    {
        var bdSeq = BdSeq(message);
        if (bdSeq is not null && _bdSeq is not null && bdSeq != _bdSeq)
        {
            // The will of an earlier connection, delivered late: the node is already back.
            LogStaleDeath(_logger, _problems.Device, NodeName, bdSeq.Value, _bdSeq.Value);
            return;
        }

        _nodeBorn = false;
        _expectedSeq = -1;
        _devicesBorn.Clear();
        Offline(null, stamp, points);
        foreach (var device in _config.Tags.Select(t => t.SparkplugDevice).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            Offline(device, stamp, points);
        }

        LogNodeDeath(_logger, _problems.Device, NodeName);
    }

    /// <summary>Whether the node (and for device messages, the device) has a birth to interpret this message by; asks for one if not.</summary>
    private bool Born(string? device, bool birth, Payload message, List<MqttApplicationMessage> replies)
    {
        if (!_nodeBorn || (device is not null && !birth && !_devicesBorn.Contains(device)))
        {
            RequestRebirth(replies, device is null || !_nodeBorn ? "data before the node's birth" : $"data from device '{device}' before its birth");
            return false;
        }

        CheckSeq(message, replies);
        return true;
    }

    private void CheckSeq(Payload message, List<MqttApplicationMessage> replies)
    {
        if (!message.HasSeq || _expectedSeq < 0)
        {
            return;
        }

        var seq = (int)(message.Seq % 256);
        if (seq != _expectedSeq)
        {
            LogSeqGap(_logger, _problems.Device, NodeName, _expectedSeq, seq);
            RequestRebirth(replies, $"sequence gap (expected {_expectedSeq}, got {seq})");
        }

        _expectedSeq = (seq + 1) % 256;
    }

    private void RequestRebirth(List<MqttApplicationMessage>? replies, string why)
    {
        var now = _time.GetUtcNow();
        if (replies is null || (_lastRebirth is { } last && now - last < RebirthInterval))
        {
            return;
        }

        _lastRebirth = now;
        _metrics.RebirthRequested();
        replies.Add(SparkplugCommands.Rebirth(_config.GroupId, _config.EdgeNode, now));
        LogRebirth(_logger, _problems.Device, NodeName, why);
    }

    private void Offline(string? device, DateTimeOffset stamp, List<DataPoint> points)
    {
        foreach (var tag in _config.Tags.Where(t => t.SparkplugDevice == device))
        {
            points.Add(new DataPoint(_problems.Device, tag.Name, stamp, TagValue.None, PointQuality.BadCommunication, (uint)MqttBadReason.NodeOffline));
        }
    }

    private static ulong? BdSeq(Payload message) =>
        message.Metrics.FirstOrDefault(m => m.Name == "bdSeq") is { } m ? (m.ValueCase == Payload.Types.Metric.ValueOneofCase.LongValue ? m.LongValue : m.IntValue) : null;
}
