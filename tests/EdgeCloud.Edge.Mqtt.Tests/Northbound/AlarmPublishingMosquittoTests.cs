using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Mqtt.Tests.Northbound;

/// <summary>
/// Alarm events and the <c>mqtt</c> rule action as the agent hosts them (real pipeline, LiteDB
/// outbox, rules, MQTT publisher), seen by a SCADA subscriber on Debian's mosquitto.
/// </summary>
public sealed class AlarmPublishingMosquittoTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("mqtt-alarms-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task AlarmRoutesAndMqttAction_RaiseAckClearShelve_SubscriberSeesEachStateChangeAsJson()
    {
        await using var scada = await TestMqttClient.ConnectAsync(broker.Port, "scada-alarms");
        await scada.SubscribeAsync("site/#");
        await scada.SubscribeAsync("pager/#");
        using var host = Build();
        await host.StartAsync();
        var sink = host.Services.GetRequiredService<IPointSink>();
        var alarms = host.Services.GetRequiredService<IAlarmService>();

        await sink.PublishAsync([Point(30)], CancellationToken.None);
        await Eventually.WaitAsync(() => Topics(scada).Count(t => t.StartsWith("site/gw-7/alarms/", StringComparison.Ordinal)) == 2, "two raised alarms");
        var hot = alarms.GetAlarms().Single(a => a.Rule == "hot");
        Assert.True(alarms.Acknowledge(hot.Id, "olga"));
        await sink.PublishAsync([Point(10)], CancellationToken.None);
        await Eventually.WaitAsync(() => Messages(scada, "site/gw-7/alarms/").Count == 5, "the acknowledgement and both clears");
        alarms.Shelve("warm", "plc/temperature", TimeSpan.FromMinutes(5), suppression: false, "olga");
        await sink.PublishAsync([Point(30)], CancellationToken.None);
        await sink.PublishAsync([Point(10)], CancellationToken.None);

        // hot: raised, acknowledged, cleared, raised, cleared; warm: raised, cleared (unacknowledged), shelved, raised, cleared.
        await Eventually.WaitAsync(() => Messages(scada, "site/gw-7/alarms/").Count == 10, "ten alarm events");
        var hotEvents = Messages(scada, "site/gw-7/alarms/hot/plc/temperature");
        Assert.Equal(["raised/active", "acknowledged/acknowledged", "cleared/cleared", "raised/active", "cleared/clearedUnacknowledged"],
            hotEvents.Select(e => $"{e.GetProperty("kind").GetString()}/{e.GetProperty("state").GetString()}"));
        Assert.Equal("olga", hotEvents[1].GetProperty("user").GetString());
        Assert.Equal((900, 30.0), (hotEvents[0].GetProperty("severity").GetInt32(), hotEvents[0].GetProperty("value").GetDouble()));
        var warmEvents = Messages(scada, "site/gw-7/alarms/warm/plc/temperature");
        Assert.Equal(["raised", "cleared", "shelved", "raised", "cleared"], warmEvents.Select(e => e.GetProperty("kind").GetString()));
        Assert.False(warmEvents[3].GetProperty("announced").GetBoolean());
        Assert.Equal(warmEvents.Select(e => e.GetProperty("eventNumber").GetUInt64()).Order(), warmEvents.Select(e => e.GetProperty("eventNumber").GetUInt64()));

        // The pager route takes severity 800 and up: hot only.
        await Eventually.WaitAsync(() => Messages(scada, "pager/").Count == 5, "hot's five events on the pager route");
        Assert.All(Messages(scada, "pager/"), e => Assert.Equal("hot", e.GetProperty("rule").GetString()));

        // The rule action: rate limit of 1, so the second raise (and its clear) publish nothing.
        await Eventually.WaitAsync(() => Messages(scada, "site/gw-7/actions/pump").Count >= 2, "the action's raise and clear");
        var actions = Messages(scada, "site/gw-7/actions/pump");
        Assert.Equal(["raised", "cleared"], actions.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal("pump on plc/temperature", actions[0].GetProperty("message").GetString());

        // A retained alarm topic gives a late subscriber the last state at once.
        await using var late = await TestMqttClient.ConnectAsync(broker.Port, "scada-late");
        await late.SubscribeAsync("site/gw-7/alarms/hot/plc/temperature");
        await Eventually.WaitAsync(() => !late.Received.IsEmpty, "the retained alarm event");
        var retained = late.Received.First();
        Assert.True(retained.Retain);
        Assert.Equal("cleared", JsonDocument.Parse(retained.Payload).RootElement.GetProperty("kind").GetString());
        await host.StopAsync();
    }

    private static List<string> Topics(TestMqttClient client) => [.. client.Received.Select(m => m.Topic)];

    private static List<JsonElement> Messages(TestMqttClient client, string topicPrefix) =>
        [.. client.Received.Where(m => m.Topic.StartsWith(topicPrefix, StringComparison.Ordinal))
            .Select(m => JsonDocument.Parse(Encoding.UTF8.GetString(m.Payload)).RootElement)];

    private IHost Build()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "site.json"), $$"""
            {
              "devices": [ { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020,
                             "tags": [ { "name": "temperature", "area": "holding", "address": 0, "type": "float32" } ] } ],
              "mqtt": { "publish": { "host": "127.0.0.1", "port": {{broker.Port}}, "clientId": "gw-7-alarms",
                "alarms": [
                  { "topic": "site/{agent}/alarms/{rule}/{device}/{tag}", "qos": 1, "retain": true },
                  { "rules": "h*", "minSeverity": 800, "topic": "pager/{rule}" } ] } },
              "rules": { "definitions": [
                { "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25, "severity": 900 },
                { "name": "warm", "type": "threshold", "tag": "plc/temperature", "above": 20, "severity": 300 },
                { "name": "pump", "type": "threshold", "tag": "plc/temperature", "above": 25, "message": "pump on plc/temperature",
                  "actions": [ { "type": "mqtt", "topic": "site/{agent}/actions/{rule}", "qos": 1 } ],
                  "rateLimit": { "burst": 1, "perMinute": 1 } } ] }
            }
            """);
        File.WriteAllText(Path.Combine(_folder.FullName, "agent.json"), """
            { "agentId": "gw-7", "dataDirectory": "data", "hub": { "url": "http://127.0.0.1:1" }, "siteConfig": "site.json",
              "outbox": { "maxBatchPoints": 100, "maxBatchDelayMs": 20 } }
            """);
        var config = ConfigLoader.Load(Path.Combine(_folder.FullName, "agent.json"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Site);
        builder.AddOutbox();
        builder.AddRules();
        builder.AddMqtt();
        return builder.Build();
    }

    private static DataPoint Point(double value) =>
        new("plc", "temperature", DateTimeOffset.UtcNow, TagValue.FromNumber(value), PointQuality.Good);
}
