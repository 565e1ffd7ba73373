using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound;

/// <summary>Broker restarts (mosquitto killed and started again on its port): the session comes back by itself.</summary>
public sealed class MqttReconnectTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [Fact]
    public async Task Session_BrokerRestarts_MarksTagsBadOnceAndResumes()
    {
        var subscription = new MqttJsonSubscriptionConfig("plant/r", 1, null, [new MqttJsonTagConfig("v", "/v", MqttValueKind.Integer)], "$.devices[0].subscriptions[0]");
        await using var session = await RunningSession.StartAsync(RunningSession.Device(broker.Port, "reconnect-1", subscription));

        for (var cycle = 1; cycle <= 3; cycle++)
        {
            broker.Stop();
            await session.Sink.WaitUntilAsync(p => p.Count(x => x.StatusDetail == (uint)MqttBadReason.BrokerDisconnected) == cycle, $"bad points after stop {cycle}");
            await broker.RestartAsync();
            await Eventually.WaitAsync(() => session.Logs.Count(6300) == cycle + 1, $"reconnected after restart {cycle}", seconds: 40);

            await using var device = await TestMqttClient.ConnectAsync(broker.Port, "device-r");
            await device.PublishAsync("plant/r", $$"""{ "v": {{cycle}} }""");
            await session.Sink.WaitUntilAsync(p => p.Any(x => x.Quality == PointQuality.Good && x.Value.AsInteger() == cycle), $"value after restart {cycle}");
        }

        Assert.Equal(3, session.Logs.Count(6301));
    }
}
