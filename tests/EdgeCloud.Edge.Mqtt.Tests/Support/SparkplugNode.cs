using EdgeCloud.Edge.Mqtt.Sparkplug;
using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using Google.Protobuf;
using Metric = EdgeCloud.Edge.Mqtt.Sparkplug.Protos.Payload.Types.Metric;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>Plays a Sparkplug B edge node over a test client, encoding payloads with the agent's own schema.</summary>
internal sealed class SparkplugNode(TestMqttClient client, string group, string node)
{
    public const ulong Ms = 1795515330000;

    public static Metric Metric(string? name, ulong? alias, SparkplugDataType? type, Action<Metric> value)
    {
        var metric = new Metric();
        if (name is not null)
        {
            metric.Name = name;
        }

        if (alias is { } a)
        {
            metric.Alias = a;
        }

        if (type is { } t)
        {
            metric.Datatype = (uint)t;
        }

        value(metric);
        return metric;
    }

    public static byte[] Encode(ulong? seq, params Metric[] metrics)
    {
        var payload = new Payload { Timestamp = Ms };
        if (seq is { } s)
        {
            payload.Seq = s;
        }

        payload.Metrics.AddRange(metrics);
        return payload.ToByteArray();
    }

    public Task SendAsync(string type, string? device, ulong? seq, params Metric[] metrics) =>
        client.PublishAsync(new SparkplugTopic(group, type, node, device).ToString(), Encode(seq, metrics));

    public Task SendRawAsync(string type, string? device, byte[] payload) =>
        client.PublishAsync(new SparkplugTopic(group, type, node, device).ToString(), payload);
}
