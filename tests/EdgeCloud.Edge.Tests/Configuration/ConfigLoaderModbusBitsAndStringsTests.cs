using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>The loader's coil and discrete-input tags and string tags.</summary>
public sealed class ConfigLoaderModbusBitsAndStringsTests
{
    private const string Device = """
        {
          "name": "panel", "protocol": "modbus-tcp", "host": "10.0.0.9",
          "tags": [
            { "name": "pump", "area": "coil", "address": 0, "writable": true },
            { "name": "door", "area": "discrete-input", "address": 0, "type": "bool" },
            { "name": "model", "address": 100, "type": "string", "length": 8 },
            { "name": "serial", "address": 108, "type": "string", "length": 4, "byteOrder": "BADC" }
          ]
        }
        """;

    [Fact]
    public void TryParseSite_BitsAndStrings_ReadsEveryField()
    {
        var site = SiteParsing.Parse(Device);

        var tags = Assert.IsType<ModbusTcpDeviceConfig>(Assert.Single(site.Devices)).Tags;
        Assert.Equal(
            [ModbusRegisterArea.Coil, ModbusRegisterArea.DiscreteInput, ModbusRegisterArea.Holding, ModbusRegisterArea.Holding],
            tags.Select(t => t.Area));
        Assert.Equal([ModbusDataType.Bool, ModbusDataType.Bool, ModbusDataType.String, ModbusDataType.String], tags.Select(t => t.DataType));
        Assert.Equal([1, 1, 8, 4], tags.Select(t => t.Width));
        Assert.Equal([null, null, null, null], tags.Select(t => t.Bit));
        Assert.Equal(ByteOrder.BADC, tags[3].ByteOrder);
        Assert.Equal([true, false, false, false], tags.Select(t => t.Writable));
    }

    [Theory]
    [InlineData("\"type\": \"bool\" }", "\"type\": \"bool\", \"writable\": true }", "$.devices[0].tags[1].writable", "discrete inputs are read-only in Modbus")]
    [InlineData("\"writable\": true", "\"writable\": \"yes\"", "$.devices[0].tags[0].writable", "expected true or false")]
    [InlineData("\"area\": \"coil\", \"address\": 0,", "\"area\": \"coil\", \"address\": 0, \"type\": \"int16\",", "$.devices[0].tags[0].type", "a coil is one bit: its type is bool, not int16")]
    [InlineData("\"area\": \"coil\", \"address\": 0,", "\"area\": \"coil\", \"address\": 0, \"bit\": 2,", "$.devices[0].tags[0].bit", "a coil is one bit and has no bit")]
    [InlineData("\"area\": \"discrete-input\", \"address\": 0,", "\"area\": \"discrete-input\", \"address\": 0, \"scale\": 2,", "$.devices[0].tags[1].scale", "has no scale")]
    [InlineData("\"area\": \"coil\", \"address\": 0,", "\"area\": \"coils\", \"address\": 0,", "$.devices[0].tags[0].area", "unknown value 'coils'")]
    [InlineData("\"area\": \"discrete-input\", \"address\": 0,", "\"area\": \"coil\", \"address\": 0,", "$.devices[0].tags[1].address", "coil 0 overlaps tag 'pump'")]
    [InlineData("\"length\": 8 }", "\"length\": 126 }", "$.devices[0].tags[2].length", "out of range (1-125)")]
    [InlineData(", \"length\": 8 }", " }", "$.devices[0].tags[2].length", "is required")]
    [InlineData("\"length\": 8 }", "\"length\": 9 }", "$.devices[0].tags[3].address", "holding registers 108-111 overlaps tag 'model'")]
    [InlineData("\"address\": 100, \"type\": \"string\"", "\"address\": 65530, \"type\": \"string\"", "$.devices[0].tags[2].address", "runs past register 65535")]
    [InlineData("\"byteOrder\": \"BADC\"", "\"byteOrder\": \"CDAB\"", "$.devices[0].tags[3].byteOrder", "ABCD (first character in the high byte) or BADC")]
    [InlineData("\"length\": 8 }", "\"length\": 8, \"scale\": 10 }", "$.devices[0].tags[2].scale", "a string is not scaled")]
    [InlineData("\"type\": \"bool\" }", "\"type\": \"bool\", \"length\": 3 }", "$.devices[0].tags[1].length", "only a string tag has a length")]
    public void TryParseSite_BadBitOrStringField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        SiteParsing.ErrorAt(Device, good, bad, path, reason);
    }
}
