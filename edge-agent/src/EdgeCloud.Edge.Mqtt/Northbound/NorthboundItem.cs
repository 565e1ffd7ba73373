using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>One queued northbound message: a point for route <see cref="Route"/>, or (route -1) a ready <see cref="Message"/>.</summary>
internal readonly record struct NorthboundItem(DataPoint Point, int Route, MqttOutboundMessage? Message);

/// <summary>A message formatted by its producer (alarm events, rule actions): topic, JSON payload, QoS and retain.</summary>
internal sealed record MqttOutboundMessage(string Topic, byte[] Payload, int Qos, bool Retain);
