using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string ValidDevice = """
        {
          "name": "plc1", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020, "unitId": 1,
          "pollIntervalMs": 500, "timeoutMs": 300,
          "tags": [
            { "name": "temperature", "area": "holding", "address": 0, "type": "float32", "byteOrder": "CDAB", "scale": 0.1, "offset": -5, "unit": "degC" },
            { "name": "count", "area": "input", "address": 10, "type": "uint32" }
          ]
        }
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Agent(string devices, string extra = "") => $$"""
        {
          // comments are allowed
          "agentId": "gw-01",
          "dataDirectory": "data",
          "hub": { "url": "http://127.0.0.1:5081" },
          {{extra}}
          "devices": [ {{devices}} ],
        }
        """;

    [Fact]
    public void Load_ValidInlineConfig_ReturnsEveryField()
    {
        var config = ConfigLoader.Load(Write("agent.json", Agent(ValidDevice)));

        Assert.Equal("gw-01", config.AgentId);
        Assert.Equal(Path.Combine(_dir, "data"), config.DataDirectory);
        Assert.Equal(new Uri("http://127.0.0.1:5081"), config.Hub.Url);
        var device = Assert.IsType<ModbusTcpDeviceConfig>(Assert.Single(config.Site.Devices));
        Assert.Equal(("plc1", "127.0.0.1", 5020, (byte)1), (device.Name, device.Host, device.Port, device.UnitId));
        Assert.Equal(TimeSpan.FromMilliseconds(500), device.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(300), device.Timeout);
        var temperature = device.Tags[0];
        Assert.Equal((ModbusRegisterArea.Holding, (ushort)0, ModbusDataType.Float32, ByteOrder.CDAB, 0.1, -5.0, "degC"),
            (temperature.Area, temperature.Address, temperature.DataType, temperature.ByteOrder, temperature.Scale, temperature.Offset, temperature.Unit));
        var count = device.Tags[1];
        Assert.Equal((ModbusRegisterArea.Input, (ushort)10, ModbusDataType.UInt32, ByteOrder.ABCD, 1.0, 0.0), (count.Area, count.Address, count.DataType, count.ByteOrder, count.Scale, count.Offset));
    }

    [Fact]
    public void Load_SiteConfigInSeparateFile_ReadsDevicesFromIt()
    {
        Write("site.json", $$"""{ "devices": [ {{ValidDevice}} ] }""");
        var path = Write("agent.json", """{ "agentId": "gw-02", "hub": { "url": "https://hub.example:443" }, "siteConfig": "site.json" }""");

        var config = ConfigLoader.Load(path);

        Assert.Equal("plc1", Assert.Single(config.Site.Devices).Name);
    }

    [Fact]
    public void Load_NotJson_NamesFileAndLine()
    {
        var path = Write("agent.json", "{\n  \"agentId\": \"gw\",\n  \"hub\": {\n}}}");

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path)).Errors);

        Assert.Equal(path, error.File);
        Assert.StartsWith("line 4", error.Path, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"type\": \"float32\"", "\"type\": \"flaot32\"", "$.devices[0].tags[0].type", "unknown value 'flaot32'")]
    [InlineData("\"port\": 5020", "\"port\": 70000", "$.devices[0].port", "70000 is out of range (1-65535)")]
    [InlineData("\"port\": 5020", "\"port\": \"5020\"", "$.devices[0].port", "expected a whole number")]
    [InlineData("\"unitId\": 1", "\"unitId\": 300", "$.devices[0].unitId", "out of range (0-255)")]
    [InlineData("\"byteOrder\": \"CDAB\"", "\"byteOrder\": \"BACD\"", "$.devices[0].tags[0].byteOrder", "unknown value 'BACD'")]
    [InlineData("\"scale\": 0.1", "\"scale\": 0", "$.devices[0].tags[0].scale", "must not be 0")]
    [InlineData("\"host\": \"127.0.0.1\"", "\"host\": \"not a host\"", "$.devices[0].host", "not a host name")]
    [InlineData("\"protocol\": \"modbus-tcp\"", "\"protocol\": \"profibus\"", "$.devices[0].protocol", "unknown protocol 'profibus'")]
    [InlineData("\"pollIntervalMs\": 500", "\"polIntervalMs\": 500", "$.devices[0].polIntervalMs", "unknown property")]
    [InlineData("\"address\": 10", "\"address\": 65535", "$.devices[0].tags[1].address", "runs past register 65535")]
    [InlineData("\"name\": \"count\"", "\"name\": \"temperature\"", "$.devices[0].tags[1].name", "used twice")]
    public void Load_BadField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        var file = Write("agent.json", Agent(ValidDevice.Replace(good, bad, StringComparison.Ordinal)));

        var errors = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file)).Errors;

        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OutboxTtlAndCompaction_DefaultsOverridesAndAWindowNotDividingAMinuteRefused()
    {
        var defaults = ConfigLoader.Load(Write("a.json", Agent(ValidDevice))).Outbox;
        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromDays(30), 60), (defaults.TelemetryTtl, defaults.EventTtl, defaults.CompactWindowSeconds));

        var set = ConfigLoader.Load(Write("b.json", Agent(ValidDevice, "\"outbox\": { \"telemetryTtlHours\": 0, \"eventTtlHours\": 48, \"compactWindowSeconds\": 15 },"))).Outbox;
        Assert.Equal((null, TimeSpan.FromHours(48), 15), (set.TelemetryTtl, set.EventTtl, set.CompactWindowSeconds));

        var bad = Write("c.json", Agent(ValidDevice, "\"outbox\": { \"compactWindowSeconds\": 7 },"));
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(bad)).Errors);
        Assert.Equal("$.outbox.compactWindowSeconds", error.Path);
        Assert.Contains("7 does not divide 60", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OutboxMemoryTailBytes_Defaults4MiBAcceptsZeroAndTheMaximum()
    {
        Assert.Equal(4L << 20, ConfigLoader.Load(Write("a.json", Agent(ValidDevice))).Outbox.MemoryTailBytes);
        Assert.Equal(0, ConfigLoader.Load(Write("b.json", Agent(ValidDevice, "\"outbox\": { \"memoryTailBytes\": 0 },"))).Outbox.MemoryTailBytes);
        Assert.Equal(1L << 30, ConfigLoader.Load(Write("c.json", Agent(ValidDevice, "\"outbox\": { \"memoryTailBytes\": 1073741824 },"))).Outbox.MemoryTailBytes);
    }

    [Theory]
    [InlineData("-1", "-1 is out of range (0-1073741824)")]
    [InlineData("1073741825", "1073741825 is out of range (0-1073741824)")]
    [InlineData("\"4MiB\"", "expected a whole number")]
    public void Load_OutboxMemoryTailBytesOutOfRange_RefusedNamingTheKeyAndTheRange(string value, string reason)
    {
        var file = Write("agent.json", Agent(ValidDevice, $"\"outbox\": {{ \"memoryTailBytes\": {value} }},"));

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file)).Errors);

        Assert.Equal("$.outbox.memoryTailBytes", error.Path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HubCompression_DefaultsToGzipAndCanBeTurnedOff()
    {
        Assert.True(ConfigLoader.Load(Write("a.json", Agent(ValidDevice))).Hub.Compress);

        var off = Agent(ValidDevice).Replace("\"url\": \"http://127.0.0.1:5081\"", "\"url\": \"http://127.0.0.1:5081\", \"compression\": \"none\"", StringComparison.Ordinal);
        Assert.False(ConfigLoader.Load(Write("b.json", off)).Hub.Compress);

        var bad = Agent(ValidDevice).Replace("\"url\": \"http://127.0.0.1:5081\"", "\"url\": \"http://127.0.0.1:5081\", \"compression\": \"zstd\"", StringComparison.Ordinal);
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("c.json", bad))).Errors);
        Assert.Equal("$.hub.compression", error.Path);
        Assert.Contains("unknown value 'zstd'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HubBacklogBytesPerSecond_DefaultsToNoCapAndRefusesATrickle()
    {
        Assert.Equal(0, ConfigLoader.Load(Write("a.json", Agent(ValidDevice))).Hub.BacklogBytesPerSecond);

        static string WithRate(string rate) => Agent(ValidDevice).Replace("\"url\": \"http://127.0.0.1:5081\"", $"\"url\": \"http://127.0.0.1:5081\", \"backlogBytesPerSecond\": {rate}", StringComparison.Ordinal);
        Assert.Equal(250_000, ConfigLoader.Load(Write("b.json", WithRate("250000"))).Hub.BacklogBytesPerSecond);

        foreach (var (rate, expected) in new[] { ("100", "below 1024 bytes/s"), ("-5", "-5") })
        {
            var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("c.json", WithRate(rate)))).Errors);
            Assert.Equal("$.hub.backlogBytesPerSecond", error.Path);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_NoDevices_IsRefused()
    {
        var file = Write("agent.json", Agent(""));

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file)).Errors);

        Assert.Equal("$.devices", error.Path);
        Assert.Contains("no device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DevicesKeyMissing_IsRefused()
    {
        var file = Write("agent.json", """{ "agentId": "gw", "hub": { "url": "http://h:1" } }""");

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file)).Errors);

        Assert.Equal(("$.devices", "is required"), (error.Path, error.Message));
    }

    [Fact]
    public void Load_SeveralErrors_ReportsEveryOne()
    {
        var device = ValidDevice.Replace("\"port\": 5020", "\"port\": 0", StringComparison.Ordinal)
            .Replace("\"type\": \"uint32\"", "\"type\": \"double\"", StringComparison.Ordinal);
        var file = Write("agent.json", Agent(device).Replace("http://127.0.0.1:5081", "ftp://x", StringComparison.Ordinal));

        var errors = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file)).Errors;

        Assert.Equal(["$.devices[0].port", "$.devices[0].tags[1].type", "$.hub.url"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        var path = Path.Combine(_dir, "absent.json");

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path)).Errors);

        Assert.Equal((path, "$"), (error.File, error.Path));
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_DuplicateDeviceNames_IsRefused()
    {
        var errors = new List<ConfigError>();

        var site = ConfigLoader.TryParseSite("hub", $$"""{ "devices": [ {{ValidDevice}}, {{ValidDevice}} ] }""", errors);

        Assert.Null(site);
        Assert.Equal("$.devices[1].name", Assert.Single(errors).Path);
    }
}
