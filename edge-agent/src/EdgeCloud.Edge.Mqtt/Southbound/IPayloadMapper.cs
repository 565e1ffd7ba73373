using System.Buffers;
using EdgeCloud.Edge.Points;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// Turns the messages of one subscription into points. A mapper never throws on bad input: every
/// problem becomes a bad point with an <see cref="MqttBadReason"/>. Called by one message handler
/// at a time (MQTTnet delivers a client's messages in order), so a mapper may keep state.
/// </summary>
internal interface IPayloadMapper
{
    /// <summary>The topic filters to subscribe to.</summary>
    IReadOnlyList<string> TopicFilters { get; }

    /// <summary>The quality of service asked for.</summary>
    int Qos { get; }

    /// <summary>The tags this mapper feeds.</summary>
    IReadOnlyList<string> TagNames { get; }

    /// <summary>Whether a message on <paramref name="topic"/> is for this mapper.</summary>
    bool Accepts(string topic);

    /// <summary>Maps one message; adds points to <paramref name="points"/> and messages to publish (Sparkplug commands) to <paramref name="replies"/>.</summary>
    void Map(string topic, in ReadOnlySequence<byte> payload, DateTimeOffset receivedAt, List<DataPoint> points, List<MqttApplicationMessage> replies);
}
