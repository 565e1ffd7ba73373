using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Mqtt.Tests.Broker;

/// <summary>
/// The whole component in a host, as the agent composes it: the agent's own broker, a device that
/// publishes to it, the MQTT source, and a route back out to a subscriber.
/// </summary>
public sealed class AddMqttHostTests
{
    /// <summary>Imitates the batcher: hands every point to the registered stages, as the outbox's batcher does.</summary>
    private sealed class StagingSink(CollectingSink inner, IServiceProvider services) : IPointSink
    {
        public async ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
        {
            await inner.PublishAsync(points, cancellationToken);
            var stages = services.GetServices<IPointStage>().ToList();
            foreach (var point in points)
            {
                foreach (var stage in stages)
                {
                    stage.Process(point, []);
                }
            }
        }
    }

    [Fact]
    public async Task AddMqtt_HostedBrokerSourceAndRoute_DevicePublishesAndScadaReceives()
    {
        var sink = new CollectingSink();
        using var logs = new CollectingLoggerProvider();
        var (host, port) = await StartHostAsync(sink, logs);
        try
        {
            await using var scada = await TestMqttClient.ConnectAsync(port, "scada");
            await scada.SubscribeAsync("scada/#");
            await using var device = await TestMqttClient.ConnectAsync(port, "sensor-7");
            await Eventually.WaitAsync(() => logs.Count(6300) == 1 && logs.Count(6400) == 1, "the source subscribed and the publisher connected");

            await device.PublishAsync("devices/s7/state", """{ "temp": 48.5 }""");

            await sink.WaitUntilAsync(p => p.Any(x => x.Tag == "temp" && x.Value == TagValue.FromNumber(48.5)), "the device's value as a point");
            await Eventually.WaitAsync(() => scada.Received.Any(m => m.Topic == "scada/line1/temp" && Encoding.UTF8.GetString(m.Payload).Contains("48.5", StringComparison.Ordinal)), "the value routed back out");
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    /// <summary>Starts the host on a free port; a port taken before the broker binds it (logged as 6452) means another try.</summary>
    private static async Task<(IHost Host, int Port)> StartHostAsync(CollectingSink sink, CollectingLoggerProvider logs)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = MosquittoBroker.FreePort();
            var errors = new List<ConfigError>();
            var site = ConfigLoader.TryParseSite("site.json", $$"""
                {
                  "devices": [ { "name": "line1", "protocol": "mqtt", "host": "127.0.0.1", "port": {{port}}, "clientId": "agent-line1",
                    "subscriptions": [ { "topic": "devices/+/state", "tags": [ { "name": "temp", "pointer": "/temp" } ] } ] } ],
                  "mqtt": { "broker": { "port": {{port}} },
                            "publish": { "routes": [ { "tags": "line1/*", "topic": "scada/{device}/{tag}" } ] } }
                }
                """, errors);
            Assert.Empty(errors);

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton(site!);
            builder.Services.AddSingleton<IPointSink>(sp => new StagingSink(sink, sp));
            builder.AddMqtt();
            var host = builder.Build();
            await host.StartAsync();
            if (logs.Count(6452) < attempt || attempt == 3)
            {
                return (host, port);
            }

            await host.StopAsync();
            host.Dispose();
        }
    }
}
