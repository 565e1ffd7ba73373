using EdgeCloud.Edge.Configuration;
using static EdgeCloud.Edge.Tests.Configuration.SiteParsing;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>The loader's serial-line sensors: the three formats and their errors.</summary>
public sealed class ConfigLoaderSerialLineTests
{
    private const string Gps = """
        {
          "name": "gps", "protocol": "serial-line", "port": "/dev/ttyUSB1", "baudRate": 4800, "lineEnd": "\r\n",
          "linePrefix": "$GPGGA", "format": "delimited", "delimiter": ",",
          "fields": [ { "tag": "lat", "index": 2, "scale": 0.01, "unit": "deg" }, { "tag": "sats", "index": 7, "type": "integer" } ]
        }
        """;

    private const string Scale = """
        {
          "name": "scale", "protocol": "serial-line", "port": "/dev/ttyUSB2", "format": "regex",
          "pattern": "^(?<state>ST|US),(?<weight>[-+0-9.]+)kg$",
          "fields": [ { "tag": "state", "group": "state", "type": "text" }, { "tag": "weight", "group": "weight" } ]
        }
        """;

    private const string Fixed = """
        {
          "name": "probe", "protocol": "serial-line", "port": "/dev/ttyS3", "format": "fixed",
          "fields": [ { "tag": "temp", "start": 0, "length": 6 }, { "tag": "alarm", "start": 7, "length": 1, "type": "flag" } ]
        }
        """;

    [Fact]
    public void TryParseSite_ThreeFormats_ReadsEveryField()
    {
        var site = Parse(Gps, Scale, Fixed);

        var gps = Assert.IsType<SerialLineDeviceConfig>(site.Devices[0]);
        Assert.Equal(new SerialLineConfig("/dev/ttyUSB1", 4800, SerialParity.None, 8, 1), gps.Line);
        Assert.Equal(("\r\n", "$GPGGA", SerialLineFormat.Delimited, ","), (gps.LineEnd, gps.LinePrefix, gps.Format, gps.Delimiter));
        Assert.Equal(new SerialLineFieldConfig("lat", SerialLineFieldType.Number, 2, null, null, null, 0.01, 0, "deg"), gps.Fields[0]);
        var scale = Assert.IsType<SerialLineDeviceConfig>(site.Devices[1]);
        Assert.Equal((SerialLineFormat.Regex, "weight"), (scale.Format, scale.Fields[1].Group));
        var probe = Assert.IsType<SerialLineDeviceConfig>(site.Devices[2]);
        Assert.Equal((7, 1, SerialLineFieldType.Flag), (probe.Fields[1].Start!.Value, probe.Fields[1].Length!.Value, probe.Fields[1].Type));
    }

    [Theory]
    [InlineData("\"pattern\": \"^(?<state>ST|US),(?<weight>[-+0-9.]+)kg$\"", "\"pattern\": \"^(?<state>ST\"", "$.devices[0].pattern", "not a valid regular expression")]
    [InlineData("\"group\": \"weight\"", "\"group\": \"mass\"", "$.devices[0].fields[1].group", "no group named 'mass' (it has: state, weight)")]
    [InlineData("\"format\": \"regex\"", "\"format\": \"json\"", "$.devices[0].format", "unknown value 'json'")]
    [InlineData("\"type\": \"text\"", "\"type\": \"date\"", "$.devices[0].fields[0].type", "unknown value 'date'")]
    [InlineData("{ \"tag\": \"weight\", \"group\": \"weight\" }", "{ \"tag\": \"state\", \"group\": \"weight\" }", "$.devices[0].fields[1].tag", "used twice")]
    [InlineData("\"port\": \"/dev/ttyUSB2\"", "\"port\": \"COM2\"", "$.devices[0].port", "not a device path")]
    public void TryParseSite_BadField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        ErrorAt(Scale, good, bad, path, reason);
    }

    [Fact]
    public void TryParseSite_DelimitedFieldWithoutIndex_IsRequired()
    {
        var errors = Errors(Gps.Replace("\"index\": 2, ", "", StringComparison.Ordinal));

        Assert.Equal(("$.devices[0].fields[0].index", "is required"), (Assert.Single(errors).Path, errors[0].Message));
    }

    [Fact]
    public void TryParseSite_PortOfAModbusBus_IsRefused()
    {
        const string Rtu = """{ "name": "meter", "protocol": "modbus-rtu", "port": "/dev/ttyUSB1", "tags": [ { "name": "t", "address": 0, "type": "uint16" } ] }""";

        var errors = Errors(Rtu, Gps);

        var error = Assert.Single(errors);
        Assert.Equal("$.devices[1].port", error.Path);
        Assert.Contains("already used by device 'meter'", error.Message, StringComparison.Ordinal);
    }
}
