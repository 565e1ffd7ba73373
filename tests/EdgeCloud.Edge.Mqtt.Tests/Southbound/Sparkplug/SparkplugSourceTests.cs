using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Sparkplug;
using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;
using static EdgeCloud.Edge.Mqtt.Tests.Support.SparkplugNode;
using Metric = EdgeCloud.Edge.Mqtt.Sparkplug.Protos.Payload.Types.Metric;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound.Sparkplug;

/// <summary>Sparkplug B edge nodes played by a test client through MQTTnet's in-process broker.</summary>
public sealed class SparkplugSourceTests(InProcessBroker broker) : IClassFixture<InProcessBroker>
{
    private static MqttSparkplugSubscriptionConfig Node(string group) => new(group, "Press7", 1,
        [
            new MqttSparkplugTagConfig("uptime", "Node/Uptime", null),
            new MqttSparkplugTagConfig("speed", "Motor/Speed", "Drive1"),
            new MqttSparkplugTagConfig("running", "Motor/Running", "Drive1"),
            new MqttSparkplugTagConfig("offset", "Motor/Offset", "Drive1"),
        ],
        "$.devices[0].subscriptions[0]");

    private static Metric BdSeq(ulong value) => Metric("bdSeq", null, SparkplugDataType.Int64, m => m.LongValue = value);

    private async Task<(RunningSession Session, TestMqttClient Scada, SparkplugNode Node, TestMqttClient Client)> StartAsync(string group)
    {
        var session = await RunningSession.StartAsync(RunningSession.Device(broker.Port, "sp-" + group, Node(group)));
        var scada = await TestMqttClient.ConnectAsync(broker.Port, "scada-" + group);
        await scada.SubscribeAsync($"spBv1.0/{group}/NCMD/Press7");
        var client = await TestMqttClient.ConnectAsync(broker.Port, "node-" + group);
        return (session, scada, new SparkplugNode(client, group, "Press7"), client);
    }

    private static async Task BirthAsync(SparkplugNode node)
    {
        await node.SendAsync("NBIRTH", null, 0, BdSeq(3), Metric("Node/Uptime", 1, SparkplugDataType.Int64, m => m.LongValue = 100));
        await node.SendAsync("DBIRTH", "Drive1", 1,
            Metric("Motor/Speed", 2, SparkplugDataType.Float, m => m.FloatValue = 12.5f),
            Metric("Motor/Running", 3, SparkplugDataType.Boolean, m => m.BooleanValue = true),
            Metric("Motor/Offset", 4, SparkplugDataType.Int16, m => m.IntValue = unchecked((uint)(short)-7)));
    }

    private static int Rebirths(TestMqttClient scada) => scada.Received.Count(m =>
        Payload.Parser.ParseFrom(m.Payload).Metrics.Any(x => x.Name == SparkplugCommands.RebirthMetric && x.BooleanValue));

    [Fact]
    public async Task Session_BirthDataDeath_TagsFollowTheNode()
    {
        var (session, scada, node, client) = await StartAsync("G1");
        await using var _ = session;
        await using var __ = scada;
        await using var ___ = client;

        await BirthAsync(node);
        await session.Sink.WaitUntilAsync(p => p.Count == 4, "the birth values");
        Assert.Equal(
            [("uptime", TagValue.FromInteger(100)), ("speed", TagValue.FromNumber(12.5)), ("running", TagValue.FromFlag(true)), ("offset", TagValue.FromInteger(-7))],
            session.Sink.Points.Select(p => (p.Tag, p.Value)));

        // Data by alias only (as nodes send it after the birth), with a metric timestamp; and by name.
        await node.SendAsync("DDATA", "Drive1", 2, Metric(null, 2, null, m => { m.FloatValue = 13.5f; m.Timestamp = Ms + 500; }));
        await node.SendAsync("NDATA", null, 3, Metric("Node/Uptime", null, null, m => m.LongValue = 200));
        await session.Sink.WaitUntilAsync(p => p.Count == 6, "two data values");
        Assert.Equal((TagValue.FromNumber(13.5), DateTimeOffset.FromUnixTimeMilliseconds((long)Ms + 500)), (session.Sink.Of("speed")[^1].Value, session.Sink.Of("speed")[^1].Timestamp));
        Assert.Equal(TagValue.FromInteger(200), session.Sink.Of("uptime")[^1].Value);

        await node.SendAsync("DDEATH", "Drive1", 4);
        await session.Sink.WaitUntilAsync(p => p.Count == 9, "the device's tags bad");
        Assert.All(session.Sink.Points.Skip(6), p => Assert.Equal((PointQuality.BadCommunication, (uint)MqttBadReason.NodeOffline), (p.Quality, p.StatusDetail)));

        await node.SendAsync("NDEATH", null, null, BdSeq(2)); // a stale will from an earlier connection: ignored
        await node.SendAsync("NDEATH", null, null, BdSeq(3));
        await session.Sink.WaitUntilAsync(p => p.Count(x => x.Tag == "uptime" && x.Quality == PointQuality.BadCommunication) == 1, "the node's tag bad");
        Assert.Equal(1, session.Logs.Count(6323));
        Assert.Equal(0, Rebirths(scada));
    }

    [Fact]
    public async Task Session_SequenceGap_RequestsRebirthAndTakesTheNewBirth()
    {
        var (session, scada, node, client) = await StartAsync("G2");
        await using var _ = session;
        await using var __ = scada;
        await using var ___ = client;
        await BirthAsync(node);
        await session.Sink.WaitUntilAsync(p => p.Count == 4, "the birth values");

        await node.SendAsync("DDATA", "Drive1", 7, Metric(null, 2, null, m => m.FloatValue = 1)); // 2 expected

        await Eventually.WaitAsync(() => Rebirths(scada) == 1, "a rebirth request on NCMD");
        Assert.Equal(1, session.Logs.Count(6324));
        await BirthAsync(node);
        await node.SendAsync("DDATA", "Drive1", 2, Metric(null, 2, null, m => m.FloatValue = 2));
        await session.Sink.WaitUntilAsync(p => p.Count(x => x.Tag == "speed") == 4, "speed after the rebirth");
        Assert.Equal([12.5, 1, 12.5, 2], session.Sink.Of("speed").Select(p => p.Value.AsDouble()));
        Assert.Equal(1, Rebirths(scada));
    }

    [Fact]
    public async Task Session_DataBeforeBirthOrUnknownAlias_RequestsRebirth()
    {
        var (session, scada, node, client) = await StartAsync("G3");
        await using var _ = session;
        await using var __ = scada;
        await using var ___ = client;

        await node.SendAsync("NDATA", null, 5, Metric("Node/Uptime", null, null, m => m.LongValue = 1));
        await Eventually.WaitAsync(() => Rebirths(scada) == 1, "a rebirth request for data before birth");
        Assert.Empty(session.Sink.Points);

        await BirthAsync(node);
        await session.Sink.WaitUntilAsync(p => p.Count == 4, "the birth values");
        await node.SendAsync("DDATA", "Drive1", 2, Metric(null, 99, null, m => m.FloatValue = 1));
        await Eventually.WaitAsync(() => Rebirths(scada) == 2, "a rebirth request for an unknown alias");
    }

    [Fact]
    public async Task Session_GarbageAndWrongTypes_BadPointsAndTheNodeStaysFollowed()
    {
        var (session, scada, node, client) = await StartAsync("G4");
        await using var _ = session;
        await using var __ = scada;
        await using var ___ = client;
        await BirthAsync(node);
        await session.Sink.WaitUntilAsync(p => p.Count == 4, "the birth values");

        await node.SendRawAsync("DDATA", "Drive1", [0x0A, 0xFF, 0xFF, 0x01]); // a field that claims more bytes than there are
        await session.Sink.WaitUntilAsync(p => p.Count(x => x.StatusDetail == (uint)MqttBadReason.PayloadNotParsed) == 3, "the device's tags bad");
        await node.SendAsync("DDATA", "Drive1", 2, Metric(null, 2, null, m => m.StringValue = "fast"), Metric(null, 3, null, m => m.IsNull = true));
        await node.SendAsync("DDATA", "Drive1", 3, Metric(null, 2, null, m => m.FloatValue = 3));

        await session.Sink.WaitUntilAsync(p => p.Count(x => x.Tag == "speed") == 4, "speed after the bad messages");
        Assert.Equal(
            [MqttBadReason.None, MqttBadReason.PayloadNotParsed, MqttBadReason.WrongType, MqttBadReason.None],
            session.Sink.Of("speed").Select(p => (MqttBadReason)p.StatusDetail));
        Assert.Equal(MqttBadReason.NullValue, (MqttBadReason)session.Sink.Of("running")[^1].StatusDetail);
        Assert.Equal(0, Rebirths(scada));
    }
}
