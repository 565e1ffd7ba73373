using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Mqtt.Tests.Configuration;

public sealed class ConfigLoaderMqttTests
{
    private const string Device = """
        {
          "name": "line1", "protocol": "mqtt", "host": "broker.local", "port": 1884, "clientId": "gw-01-line1",
          "username": "agent", "password": "secret", "keepAliveSeconds": 20, "sessionExpirySeconds": 3600,
          "subscriptions": [
            { "topic": "plant/line1/+/telemetry", "qos": 1,
              "timestamp": { "pointer": "/ts", "format": "epoch-ms" },
              "tags": [
                { "name": "temp", "pointer": "/sensors/0/value" },
                { "name": "count", "pointer": "/count", "type": "integer" },
                { "name": "running", "pointer": "/state/run~1stop", "type": "bool" }
              ] },
            { "format": "sparkplug", "groupId": "Plant1", "edgeNode": "Press7",
              "tags": [
                { "name": "speed", "metric": "Motor/Speed", "device": "Drive1" },
                { "name": "uptime", "metric": "Node/Uptime" }
              ] }
          ]
        }
        """;

    private static (SiteConfig? Site, List<ConfigError> Errors) Parse(string devices, string mqtt = "")
    {
        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite("site.json", $$"""{ "devices": [ {{devices}} ] {{(mqtt.Length > 0 ? ", \"mqtt\": " + mqtt : "")}} }""", errors);
        return (site, errors);
    }

    [Fact]
    public void TryParseSite_MqttDevice_ReadsConnectionAndSubscriptions()
    {
        var (site, errors) = Parse(Device);

        Assert.Empty(errors);
        var device = Assert.IsType<MqttDeviceConfig>(Assert.Single(site!.Devices));
        Assert.Equal(("broker.local", 1884, "gw-01-line1", "agent", "secret"), (device.Connection.Host, device.Connection.Port, device.Connection.ClientId, device.Connection.Username, device.Connection.Password));
        Assert.False(device.Connection.CleanSession);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromHours(1)), (device.Connection.KeepAlive, device.Connection.SessionExpiry));
        var json = Assert.IsType<MqttJsonSubscriptionConfig>(device.Subscriptions[0]);
        Assert.Equal(("plant/line1/+/telemetry", 1, "/ts", MqttTimestampFormat.EpochMilliseconds), (json.Topic, json.Qos, json.Timestamp!.Pointer, json.Timestamp.Format));
        Assert.Equal([MqttValueKind.Number, MqttValueKind.Integer, MqttValueKind.Bool], json.Tags.Select(t => t.Kind));
        var sparkplug = Assert.IsType<MqttSparkplugSubscriptionConfig>(device.Subscriptions[1]);
        Assert.Equal(["spBv1.0/Plant1/+/Press7", "spBv1.0/Plant1/+/Press7/+"], sparkplug.TopicFilters);
        Assert.Equal(("Motor/Speed", "Drive1"), (sparkplug.Tags[0].Metric, sparkplug.Tags[0].SparkplugDevice));
        Assert.Null(sparkplug.Tags[1].SparkplugDevice);
        Assert.Null(site.Mqtt);
    }

    [Fact]
    public void TryParseSite_MqttSection_ReadsBrokerAndRoutes()
    {
        var (site, errors) = Parse(Device, """
            { "broker": { "port": 1885 },
              "publish": { "queueCapacity": 500, "routes": [
                { "tags": "line1/*", "topic": "edgecloud/{agent}/{device}/{tag}", "qos": 1, "retain": true } ] } }
            """);

        Assert.Empty(errors);
        Assert.Equal(new MqttBrokerConfig("127.0.0.1", 1885), site!.Mqtt!.Broker);
        var publish = site.Mqtt.Publish!;
        Assert.Equal(("127.0.0.1", 1885, 500), (publish.Connection.Host, publish.Connection.Port, publish.QueueCapacity));
        Assert.Equal(new MqttRouteConfig("line1/*", "edgecloud/{agent}/{device}/{tag}", 1, true), Assert.Single(publish.Routes));
    }

    [Theory]
    [InlineData("\"pointer\": \"sensors/0\"", "$.devices[0].subscriptions[0].tags[0].pointer", "not a JSON pointer")]
    [InlineData("\"pointer\": \"/a~2b\"", "$.devices[0].subscriptions[0].tags[0].pointer", "not a JSON pointer")]
    [InlineData("\"pointer\": \"/a\", \"type\": \"float\"", "$.devices[0].subscriptions[0].tags[0].type", "unknown value 'float'")]
    [InlineData("\"pointer\": \"/a\", \"scale\": 2", "$.devices[0].subscriptions[0].tags[0].scale", "unknown property")]
    public void TryParseSite_BadJsonTag_NamesThePath(string tag, string path, string message)
    {
        var (site, errors) = Parse($$"""
            { "name": "d", "protocol": "mqtt", "host": "127.0.0.1", "clientId": "c",
              "subscriptions": [ { "topic": "a/b", "tags": [ { "name": "t", {{tag}} } ] } ] }
            """);

        Assert.Null(site);
        var error = Assert.Single(errors);
        Assert.Equal(("site.json", path), (error.File, error.Path));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"topic\": \"a/#/b\"", "$.devices[0].subscriptions[0].topic", "'#' must be a whole level and the last one")]
    [InlineData("\"topic\": \"a/b+\"", "$.devices[0].subscriptions[0].topic", "'+' must be a whole level")]
    [InlineData("\"format\": \"xml\", \"topic\": \"a\"", "$.devices[0].subscriptions[0].format", "unknown format 'xml'")]
    [InlineData("\"format\": \"sparkplug\", \"groupId\": \"G/1\", \"edgeNode\": \"N\"", "$.devices[0].subscriptions[0].groupId", "one non-empty topic level")]
    public void TryParseSite_BadSubscription_NamesThePath(string subscription, string path, string message)
    {
        var (_, errors) = Parse($$"""
            { "name": "d", "protocol": "mqtt", "host": "127.0.0.1", "clientId": "c",
              "subscriptions": [ { {{subscription}}, "tags": [ { "name": "t", "pointer": "/a", "metric": "m" } ] } ] }
            """);

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParseSite_ConnectionErrors_NameEachPath()
    {
        var (_, errors) = Parse("""
            { "name": "d", "protocol": "mqtt", "host": "127.0.0.1", "password": "x", "port": 70000,
              "subscriptions": [
                { "topic": "a", "tags": [ { "name": "t", "pointer": "/a" } ] },
                { "topic": "b", "tags": [ { "name": "t", "pointer": "/b" } ] } ] }
            """);

        Assert.Contains(errors, e => e.Path == "$.devices[0].clientId" && e.Message == "is required");
        Assert.Contains(errors, e => e.Path == "$.devices[0].password" && e.Message.Contains("needs a 'username'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.devices[0].port" && e.Message.Contains("out of range", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.devices[0].subscriptions[1].tags[0].name" && e.Message.Contains("used twice", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParseSite_AlarmRoutesWithoutTagRoutes_ReadsThemWithDefaults()
    {
        var (site, errors) = Parse(Device, """
            { "publish": { "host": "127.0.0.1", "alarms": [
                { "topic": "edgecloud/{agent}/alarms/{rule}/{device}/{tag}", "retain": true },
                { "rules": "pump*", "minSeverity": 700, "topic": "pager/{rule}", "qos": 0 } ] } }
            """);

        Assert.Empty(errors);
        var publish = site!.Mqtt!.Publish!;
        Assert.Empty(publish.Routes);
        Assert.Equal(
            [new MqttAlarmRouteConfig("*", 1, "edgecloud/{agent}/alarms/{rule}/{device}/{tag}", 1, true), new MqttAlarmRouteConfig("pump*", 700, "pager/{rule}", 0, false)],
            publish.AlarmRoutes);
    }

    [Theory]
    [InlineData("{ \"topic\": \"a/{value}\" }", "$.mqtt.publish.alarms[0].topic", "unknown field '{value}' (known: {agent}, {rule}, {device}, {tag})")]
    [InlineData("{ \"topic\": \"a/#\" }", "$.mqtt.publish.alarms[0].topic", "cannot hold '+' or '#'")]
    [InlineData("{ \"topic\": \"a\", \"minSeverity\": 0 }", "$.mqtt.publish.alarms[0].minSeverity", "out of range")]
    [InlineData("{ \"rules\": \"*\" }", "$.mqtt.publish.alarms[0].topic", "is required")]
    public void TryParseSite_BadAlarmRoute_NamesThePath(string route, string path, string message) =>
        AssertOneError($$"""{ "publish": { "host": "127.0.0.1", "alarms": [ {{route}} ] } }""", path, message);

    [Theory]
    [InlineData("{ \"tags\": \"*\", \"topic\": \"a/{tag}\" }", "$.mqtt.publish.routes[0].tags", "write device/tag")]
    [InlineData("{ \"tags\": \"*/*\", \"topic\": \"a/{site}/{tag}\" }", "$.mqtt.publish.routes[0].topic", "unknown field '{site}'")]
    [InlineData("{ \"tags\": \"*/*\", \"topic\": \"a/+/{tag}\" }", "$.mqtt.publish.routes[0].topic", "cannot hold '+' or '#'")]
    [InlineData("{ \"tags\": \"*/*\", \"topic\": \"a/{tag\" }", "$.mqtt.publish.routes[0].topic", "not closed")]
    [InlineData("{ \"tags\": \"*/*\", \"topic\": \"a\", \"qos\": 2 }", "$.mqtt.publish.routes[0].qos", "out of range")]
    [InlineData("{ \"tags\": \"*/*\", \"topic\": \"a\", \"retain\": \"yes\" }", "$.mqtt.publish.routes[0].retain", "expected true or false")]
    public void TryParseSite_BadRoute_NamesThePath(string route, string path, string message) =>
        AssertOneError($$"""{ "publish": { "host": "127.0.0.1", "routes": [ {{route}} ] } }""", path, message);

    /// <summary>The <c>mqtt</c> section is refused with exactly one error, at <paramref name="path"/>, saying <paramref name="message"/>.</summary>
    private static void AssertOneError(string mqtt, string path, string message)
    {
        var (site, errors) = Parse(Device, mqtt);

        Assert.Null(site);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_PublishWithoutHostOrBroker_RequiresHost()
    {
        var (_, errors) = Parse(Device, """{ "publish": { "routes": [ { "tags": "*/*", "topic": "t/{tag}" } ] }, "brokr": {} }""");

        Assert.Contains(errors, e => e.Path == "$.mqtt.publish.host" && e.Message == "is required");
        Assert.Contains(errors, e => e.Path == "$.mqtt.brokr" && e.Message.StartsWith("unknown property", StringComparison.Ordinal));
    }
}
