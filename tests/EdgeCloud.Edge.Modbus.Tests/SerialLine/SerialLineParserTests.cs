using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.SerialLine;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.SerialLine;

public sealed class SerialLineParserTests
{
    private static readonly SerialLineDeviceConfig Gga = Device(
        SerialLineFormat.Delimited,
        "$GPGGA",
        null,
        new("lat", SerialLineFieldType.Number, 2, null, null, null, 0.01, 0, "deg"),
        new("fix", SerialLineFieldType.Integer, 6, null, null, null, 1, 0, null),
        new("sats", SerialLineFieldType.Integer, 7, null, null, null, 1, 0, null));

    [Fact]
    public void Parse_NmeaSentence_FieldsByIndexScaled()
    {
        var values = new TagValue[3];

        var outcome = new SerialLineParser(Gga).Parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", values, out var reason);

        Assert.Equal((SerialLineParser.Outcome.Parsed, null), (outcome, reason));
        Assert.Equal(48.07038, values[0].AsDouble(), 1e-9);
        Assert.Equal([TagValue.FromInteger(1), TagValue.FromInteger(8)], values[1..]);
    }

    [Theory]
    [InlineData("$GPRMC,123519,A,4807.038,N", "Skipped", null)]
    [InlineData("$GPGGA,123519,48O7.038,N,01131.000,E,1,08", "Bad", "field 'lat' (index 2) is '48O7.038', not a number")]
    [InlineData("$GPGGA,123519,4807.038,N", "Bad", "field 'fix' is missing (index 6)")]
    public void Parse_OtherOrBrokenSentence_SkippedOrBadWithTheField(string line, string expected, string? why)
    {
        var outcome = new SerialLineParser(Gga).Parse(line, new TagValue[3], out var reason);

        Assert.Equal((expected, why), (outcome.ToString(), reason));
    }

    [Fact]
    public void Parse_ScaleLineByRegex_NamedGroups()
    {
        var device = Device(
            SerialLineFormat.Regex,
            null,
            @"^(?<state>ST|US),(?<sign>[+-])\s*(?<weight>[\d.]+)\s*kg$",
            new("stable", SerialLineFieldType.Text, null, "state", null, null, 1, 0, null),
            new("weight", SerialLineFieldType.Number, null, "weight", null, null, 1, 0, "kg"));
        var values = new TagValue[2];

        Assert.Equal(SerialLineParser.Outcome.Parsed, new SerialLineParser(device).Parse("ST,+  12.345 kg", values, out _));
        Assert.Equal([TagValue.FromText("ST"), TagValue.FromNumber(12.345)], values);
        Assert.Equal(SerialLineParser.Outcome.Bad, new SerialLineParser(device).Parse("OL,+ ----- kg", values, out var reason));
        Assert.Equal("the line does not match the pattern", reason);
    }

    [Fact]
    public void Parse_FixedColumns_TrimmedAndFlags()
    {
        var device = Device(
            SerialLineFormat.Fixed,
            null,
            null,
            new("temp", SerialLineFieldType.Number, null, null, 0, 6, 1, -273.15, "degC"),
            new("alarm", SerialLineFieldType.Flag, null, null, 7, 3, 1, 0, null));
        var values = new TagValue[2];

        Assert.Equal(SerialLineParser.Outcome.Parsed, new SerialLineParser(device).Parse("300.15 ON ", values, out _));
        Assert.Equal(27.0, values[0].AsDouble(), 1e-9);
        Assert.Equal(TagValue.FromFlag(true), values[1]);
        Assert.Equal(SerialLineParser.Outcome.Bad, new SerialLineParser(device).Parse("300.15", values, out var reason));
        Assert.Equal("field 'alarm' is missing (columns 7-9)", reason);
    }

    internal static SerialLineDeviceConfig Device(SerialLineFormat format, string? prefix, string? pattern, params SerialLineFieldConfig[] fields) =>
        new("sensor", new SerialLineConfig("/dev/null", 9600, SerialParity.None, 8, 1), "\n", prefix, format, ",", pattern, fields);
}
