using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using Google.Protobuf;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeCloud.Edge.Mqtt.Sparkplug;

/// <summary>Commands a Sparkplug host application sends to an edge node.</summary>
internal static class SparkplugCommands
{
    /// <summary>The node control metric that asks an edge node to publish its births again (Sparkplug 3.0, 6.4.19).</summary>
    public const string RebirthMetric = "Node Control/Rebirth";

    /// <summary>An NCMD with <c>Node Control/Rebirth = true</c>; QoS 0 and not retained, as the specification requires of commands.</summary>
    public static MqttApplicationMessage Rebirth(string group, string node, DateTimeOffset now)
    {
        var payload = new Payload { Timestamp = (ulong)now.ToUnixTimeMilliseconds() };
        payload.Metrics.Add(new Payload.Types.Metric
        {
            Name = RebirthMetric,
            Timestamp = payload.Timestamp,
            Datatype = (uint)SparkplugDataType.Boolean,
            BooleanValue = true,
        });
        return new MqttApplicationMessageBuilder()
            .WithTopic(new SparkplugTopic(group, "NCMD", node, null).ToString())
            .WithPayload(payload.ToByteArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .WithRetainFlag(false)
            .Build();
    }
}
