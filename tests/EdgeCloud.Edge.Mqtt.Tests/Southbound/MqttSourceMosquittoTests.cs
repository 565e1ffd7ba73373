using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound;

/// <summary>JSON subscriptions against Debian's mosquitto: mapping, bad payloads, and the persistent session.</summary>
public sealed class MqttSourceMosquittoTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    private static MqttJsonSubscriptionConfig Json(string topic) => new(
        topic,
        1,
        new MqttJsonTimestampConfig("/ts", MqttTimestampFormat.EpochMilliseconds),
        [new MqttJsonTagConfig("temp", "/v/temp", MqttValueKind.Number), new MqttJsonTagConfig("state", "/v/state", MqttValueKind.Text)],
        "$.devices[0].subscriptions[0]");

    [Fact]
    public async Task Session_JsonMessages_BecomePointsWithSourceTimestamps()
    {
        await using var session = await RunningSession.StartAsync(RunningSession.Device(broker.Port, "json-1", Json("plant/+/json1")));
        await using var device = await TestMqttClient.ConnectAsync(broker.Port, "device-json-1");

        await device.PublishAsync("plant/press7/json1", """{ "ts": 1795515330250, "v": { "temp": 71.25, "state": "run" } }""");

        await session.Sink.WaitUntilAsync(p => p.Count(x => x.Quality == PointQuality.Good) == 2, "two good points");
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(1795515330250);
        Assert.Equal(
            [("dev1", "temp", TagValue.FromNumber(71.25), stamp), ("dev1", "state", TagValue.FromText("run"), stamp)],
            session.Sink.Points.Select(p => (p.Device, p.Tag, p.Value, p.Timestamp)));
    }

    [Fact]
    public async Task Session_BrokenPayloads_BadPointsWithReasonLoggedOnceAndKeepsRunning()
    {
        await using var session = await RunningSession.StartAsync(RunningSession.Device(broker.Port, "json-2", Json("plant/+/json2")));
        await using var device = await TestMqttClient.ConnectAsync(broker.Port, "device-json-2");

        for (var i = 0; i < 3; i++)
        {
            await device.PublishAsync("plant/a/json2", "not json {");
        }

        await device.PublishAsync("plant/a/json2", """{ "ts": 1795515330250, "v": { "temp": "hot", "state": "run" } }""");
        await device.PublishAsync("plant/a/json2", """{ "ts": 1795515330250, "v": { "temp": 20, "state": "run" } }""");

        await session.Sink.WaitUntilAsync(p => p.Count(x => x.Tag == "temp") == 5, "five temp points");
        Assert.Equal(
            [MqttBadReason.PayloadNotParsed, MqttBadReason.PayloadNotParsed, MqttBadReason.PayloadNotParsed, MqttBadReason.WrongType, MqttBadReason.None],
            session.Sink.Of("temp").Select(p => (MqttBadReason)p.StatusDetail));
        Assert.Equal(TagValue.FromNumber(20), session.Sink.Of("temp")[^1].Value);
        Assert.Equal(2, session.Logs.Count(6310)); // the subscription's parse problem once, the tag's type problem once
        Assert.Equal(7, session.Metrics.BadValues);
    }

    [Fact]
    public async Task Session_PersistentSession_DeliversQos1MessagesPublishedWhileAway()
    {
        var config = RunningSession.Device(broker.Port, "json-persistent", Json("plant/+/json3"));
        await using (var first = await RunningSession.StartAsync(config))
        {
            Assert.Contains(first.Logs.Events, e => e.EventId == 6300 && e.Message.Contains("session resumed: False", StringComparison.Ordinal));
        }

        await using var device = await TestMqttClient.ConnectAsync(broker.Port, "device-json-3");
        for (var i = 0; i < 5; i++)
        {
            await device.PublishAsync("plant/a/json3", $$"""{ "ts": {{1795515330000 + i}}, "v": { "temp": {{i}}, "state": "s{{i}}" } }""");
        }

        await using var second = await RunningSession.StartAsync(config);
        await second.Sink.WaitUntilAsync(p => p.Count(x => x.Tag == "temp") == 5, "the five messages sent while away");
        Assert.Equal([0.0, 1, 2, 3, 4], second.Sink.Of("temp").Select(p => p.Value.AsDouble()));
        Assert.Contains(second.Logs.Events, e => e.EventId == 6300 && e.Message.Contains("session resumed: True", StringComparison.Ordinal));
    }
}
