using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Broker;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;

namespace EdgeCloud.Edge.Mqtt.Tests.Broker;

public sealed class MqttBrokerServiceTests
{
    private static SiteConfig Site(int port) => new([]) { Mqtt = new MqttSiteConfig(new MqttBrokerConfig("127.0.0.1", port), null) };

    [Fact]
    public async Task StartAsync_Configured_DevicesCanPublishAndSubscribe()
    {
        using var logs = new CollectingLoggerProvider();
        MqttBrokerService broker;
        int port;
        do
        {
            // A port found free can be taken before the broker binds it (logged as 6452): try another.
            port = MosquittoBroker.FreePort();
            broker = new MqttBrokerService(Site(port), logs.CreateLogger("broker").AsGeneric<MqttBrokerService>());
            await broker.StartAsync(CancellationToken.None);
        }
        while (logs.Count(6450) == 0 && logs.Count(6452) < 3);

        await using var _ = broker;

        await using var consumer = await TestMqttClient.ConnectAsync(port, "consumer");
        await consumer.SubscribeAsync("a/#");
        await using var device = await TestMqttClient.ConnectAsync(port, "device");
        await device.PublishAsync("a/b", "hello");

        await Eventually.WaitAsync(() => consumer.Received.Any(m => m.Topic == "a/b"), "the message through the agent's broker");
        Assert.Equal(1, logs.Count(6450));
        await broker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_PortTaken_LogsAndDoesNotThrow()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var logs = new CollectingLoggerProvider();
        await using var broker = new MqttBrokerService(Site(((IPEndPoint)taken.LocalEndpoint).Port), logs.CreateLogger("broker").AsGeneric<MqttBrokerService>());

        await broker.StartAsync(CancellationToken.None);

        Assert.Equal(1, logs.Count(6452));
        await broker.StopAsync(CancellationToken.None);
    }
}
