using EdgeCloud.Edge.Configuration;
using static EdgeCloud.Edge.Tests.Configuration.SiteParsing;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>The loader's read planning of a Modbus device: maxGap, maxBlock, pollGroups and tag groups.</summary>
public sealed class ConfigLoaderModbusPlanningTests
{
    private const string Device = """
        {
          "name": "plc", "protocol": "modbus-tcp", "host": "10.0.0.9", "maxGap": 2, "maxBlock": 60,
          "pollGroups": { "fast": 100, "slow": 60000 },
          "tags": [
            { "name": "a", "address": 0, "type": "uint16", "group": "fast" },
            { "name": "b", "address": 1, "type": "uint16", "group": "slow" },
            { "name": "c", "address": 2, "type": "uint16" }
          ]
        }
        """;

    [Fact]
    public void TryParseSite_Planning_ReadsEveryField()
    {
        var device = Assert.IsType<ModbusTcpDeviceConfig>(Assert.Single(Parse(Device)!.Devices));

        Assert.Equal((2, 60), (device.Planning.MaxGap, device.Planning.MaxBlock));
        Assert.Equal(TimeSpan.FromMilliseconds(100), device.Planning.Groups["fast"]);
        Assert.Equal(TimeSpan.FromMinutes(1), device.Planning.Groups["slow"]);
        Assert.Equal(["fast", "slow", null], device.Tags.Select(t => t.Group));
    }

    [Fact]
    public void TryParseSite_NoPlanning_Defaults()
    {
        var site = Parse("""{ "name": "plc", "protocol": "modbus-rtu", "port": "/dev/ttyS0", "tags": [ { "name": "a", "address": 0, "type": "uint16" } ] }""");

        Assert.Same(ModbusPlanningConfig.Default, ((ModbusDeviceConfig)site!.Devices[0]).Planning);
    }

    [Theory]
    [InlineData("\"maxGap\": 2", "\"maxGap\": 125", "$.devices[0].maxGap", "out of range (0-124)")]
    [InlineData("\"maxBlock\": 60", "\"maxBlock\": 126", "$.devices[0].maxBlock", "out of range (1-125)")]
    [InlineData("\"slow\": 60000", "\"slow\": 5", "$.devices[0].pollGroups.slow", "10-86400000")]
    [InlineData("\"slow\": 60000", "\"sl ow\": 60000", "$.devices[0].pollGroups.sl ow", "not a valid group name")]
    [InlineData("{ \"fast\": 100, \"slow\": 60000 }", "[100]", "$.devices[0].pollGroups", "expected an object")]
    [InlineData("\"group\": \"slow\"", "\"group\": \"medium\"", "$.devices[0].tags[1].group", "group 'medium' is not defined in pollGroups (defined: fast, slow)")]
    public void TryParseSite_BadPlanningField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        ErrorAt(Device, good, bad, path, reason);
    }
}
