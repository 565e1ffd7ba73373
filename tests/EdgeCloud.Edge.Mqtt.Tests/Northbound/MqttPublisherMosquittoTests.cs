using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Northbound;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Mqtt.Tests.Northbound;

/// <summary>Northbound routes observed by a SCADA-like subscriber on Debian's mosquitto.</summary>
public sealed class MqttPublisherMosquittoTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task Publisher_Routes_SubscriberSeesTopicsPayloadsAndRetainedValues()
    {
        var config = new MqttPublishConfig(
            new MqttConnectionConfig("127.0.0.1", broker.Port, "edge-publisher", null, null, null, true, TimeSpan.Zero, TimeSpan.FromSeconds(30)),
            1000,
            [new MqttRouteConfig("line1/*", "edgecloud/{agent}/{device}/{tag}", 1, true), new MqttRouteConfig("*/alarm*", "alarms/{device}", 0, false)]);
        var stage = new MqttPublishStage(config, TestMeters.NewMetrics());
        await using var scada = await TestMqttClient.ConnectAsync(broker.Port, "scada-1");
        await scada.SubscribeAsync("edgecloud/#");
        await scada.SubscribeAsync("alarms/#");
        using var publisher = new MqttPublisherService(stage, "gw-01", TimeProvider.System, TestMeters.NewMetrics(), NullLogger<MqttPublisherService>.Instance);
        await publisher.StartAsync(CancellationToken.None);

        stage.Process(new DataPoint("line1", "temp", At, TagValue.FromNumber(21.5), PointQuality.Good), []);
        stage.Process(new DataPoint("line1", "alarm_hi", At, TagValue.FromFlag(true), PointQuality.Good), []);
        stage.Process(new DataPoint("line2", "temp", At, TagValue.FromNumber(9), PointQuality.Good), []);
        stage.Process(new DataPoint("line1", "state", At, TagValue.None, PointQuality.BadCommunication, 8), []);

        await Eventually.WaitAsync(() => scada.Received.Count == 4, "four messages");
        var received = scada.Received.Select(m => (m.Topic, Encoding.UTF8.GetString(m.Payload))).ToList();
        Assert.Equal(
            [
                ("edgecloud/gw-01/line1/temp", """{"value":21.5,"quality":"good","ts":"2026-11-24T12:00:00.25Z"}"""),
                ("edgecloud/gw-01/line1/alarm_hi", """{"value":true,"quality":"good","ts":"2026-11-24T12:00:00.25Z"}"""),
                ("alarms/line1", """{"value":true,"quality":"good","ts":"2026-11-24T12:00:00.25Z"}"""),
                ("edgecloud/gw-01/line1/state", """{"value":null,"quality":"badCommunication","ts":"2026-11-24T12:00:00.25Z"}"""),
            ],
            received.OrderBy(r => r.Item1 == "alarms/line1" ? 2 : r.Item1.EndsWith("state", StringComparison.Ordinal) ? 3 : r.Item1.EndsWith("temp", StringComparison.Ordinal) ? 0 : 1));

        // A consumer that connects later gets the last value of a retained route at once.
        await using var late = await TestMqttClient.ConnectAsync(broker.Port, "scada-late");
        await late.SubscribeAsync("edgecloud/gw-01/line1/temp");
        await Eventually.WaitAsync(() => !late.Received.IsEmpty, "the retained value");
        Assert.Equal(21.5, JsonDocument.Parse(late.Received.First().Payload).RootElement.GetProperty("value").GetDouble());
        Assert.True(late.Received.First().Retain);

        await publisher.StopAsync(CancellationToken.None);
    }
}
