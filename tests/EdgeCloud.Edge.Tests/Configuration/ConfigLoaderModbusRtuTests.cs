using EdgeCloud.Edge.Configuration;
using static EdgeCloud.Edge.Tests.Configuration.SiteParsing;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>The loader's Modbus RTU and RTU-over-TCP devices, the checks across a bus, the new data types and tag overlaps.</summary>
public sealed class ConfigLoaderModbusRtuTests
{
    private const string RtuDevice = """
        {
          "name": "meter1", "protocol": "modbus-rtu", "port": "/dev/ttyUSB0", "baudRate": 9600, "parity": "none",
          "dataBits": 8, "stopBits": 2, "unitId": 7, "pollIntervalMs": 2000, "timeoutMs": 250,
          "tags": [
            { "name": "energy", "area": "input", "address": 0, "type": "uint64", "byteOrder": "CDAB", "unit": "Wh" },
            { "name": "power", "area": "input", "address": 4, "type": "float64" },
            { "name": "status", "address": 10, "type": "uint16" },
            { "name": "alarm", "address": 10, "type": "bool", "bit": 3 },
            { "name": "running", "address": 10, "type": "bool", "bit": 0 }
          ]
        }
        """;

    private const string RtuTcpDevice = """
        {
          "name": "drive", "protocol": "modbus-rtu-tcp", "host": "10.0.0.5", "port": 4001, "unitId": 3,
          "tags": [ { "name": "speed", "address": 0, "type": "int64", "byteOrder": "DCBA" } ]
        }
        """;

    [Fact]
    public void TryParseSite_RtuAndRtuOverTcpDevices_ReadsEveryField()
    {
        var site = Parse(RtuDevice, RtuTcpDevice);

        var rtu = Assert.IsType<ModbusRtuDeviceConfig>(site.Devices[0]);
        Assert.Equal(new SerialLineConfig("/dev/ttyUSB0", 9600, SerialParity.None, 8, 2), rtu.Line);
        Assert.Equal(("meter1", "modbus-rtu", (byte)7, "/dev/ttyUSB0"), (rtu.Name, rtu.Protocol, rtu.UnitId, rtu.Endpoint));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250)), (rtu.PollInterval, rtu.Timeout));
        Assert.Equal(
            [ModbusDataType.UInt64, ModbusDataType.Float64, ModbusDataType.UInt16, ModbusDataType.Bool, ModbusDataType.Bool],
            rtu.Tags.Select(t => t.DataType));
        Assert.Equal([null, null, null, (byte)3, (byte)0], rtu.Tags.Select(t => t.Bit));
        var drive = Assert.IsType<ModbusRtuTcpDeviceConfig>(site.Devices[1]);
        Assert.Equal(("10.0.0.5", 4001, (byte)3, "10.0.0.5:4001"), (drive.Host, drive.Port, drive.UnitId, drive.Endpoint));
        Assert.Equal((ModbusDataType.Int64, ByteOrder.DCBA), (drive.Tags[0].DataType, drive.Tags[0].ByteOrder));
    }

    [Fact]
    public void TryParseSite_RtuLineSettingsOmitted_ModbusSerialLineDefaults()
    {
        var site = Parse("""
            { "name": "m", "protocol": "modbus-rtu", "port": "/dev/ttyS1", "tags": [ { "name": "t", "address": 0, "type": "int16" } ] }
            """);

        var device = Assert.IsType<ModbusRtuDeviceConfig>(Assert.Single(site.Devices));
        Assert.Equal(new SerialLineConfig("/dev/ttyS1", 19200, SerialParity.Even, 8, 1), device.Line);
        Assert.Equal(1, device.UnitId);
    }

    [Theory]
    [InlineData("\"port\": \"/dev/ttyUSB0\"", "\"port\": \"COM3\"", "$.devices[0].port", "not a device path")]
    [InlineData("\"baudRate\": 9600", "\"baudRate\": 9601", "$.devices[0].baudRate", "not a standard rate")]
    [InlineData("\"parity\": \"none\"", "\"parity\": \"mark\"", "$.devices[0].parity", "unknown value 'mark'")]
    [InlineData("\"dataBits\": 8", "\"dataBits\": 7", "$.devices[0].dataBits", "needs 8 data bits")]
    [InlineData("\"dataBits\": 8", "\"dataBits\": 9", "$.devices[0].dataBits", "out of range (7-8)")]
    [InlineData("\"stopBits\": 2", "\"stopBits\": 3", "$.devices[0].stopBits", "out of range (1-2)")]
    [InlineData("\"unitId\": 7", "\"unitId\": 0", "$.devices[0].unitId", "out of range (1-247)")]
    [InlineData("\"unitId\": 7", "\"unitId\": 248", "$.devices[0].unitId", "out of range (1-247)")]
    [InlineData("\"bit\": 3", "\"bit\": 16", "$.devices[0].tags[3].bit", "out of range (0-15)")]
    [InlineData(", \"bit\": 3", "", "$.devices[0].tags[3].bit", "is required")]
    [InlineData("\"type\": \"uint16\"", "\"type\": \"uint16\", \"bit\": 1", "$.devices[0].tags[2].bit", "only a bool tag has a bit")]
    [InlineData("\"address\": 4, \"type\": \"float64\"", "\"address\": 65533, \"type\": \"float64\"", "$.devices[0].tags[1].address", "runs past register 65535")]
    [InlineData("\"address\": 4, \"type\": \"float64\"", "\"address\": 2, \"type\": \"float64\"", "$.devices[0].tags[1].address", "input registers 2-5 overlaps tag 'energy' ($.devices[0].tags[0], input registers 0-3)")]
    [InlineData("\"bit\": 0", "\"bit\": 3", "$.devices[0].tags[4].address", "holding register 10 bit 3 overlaps tag 'alarm'")]
    [InlineData("\"protocol\": \"modbus-rtu\"", "\"protocol\": \"modbus-ascii\"", "$.devices[0].protocol", "expected one of: modbus-tcp, modbus-rtu, modbus-rtu-tcp")]
    public void TryParseSite_BadRtuField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        ErrorAt(RtuDevice, good, bad, path, reason);
    }

    [Fact]
    public void TryParseSite_RtuOverTcpWithoutPort_IsRefused()
    {
        var errors = Errors(RtuTcpDevice.Replace("\"port\": 4001, ", "", StringComparison.Ordinal));

        Assert.Equal(("$.devices[0].port", "is required"), (Assert.Single(errors).Path, errors[0].Message));
    }

    [Fact]
    public void TryParseSite_TwoDevicesOnOnePortWithOtherSettings_NamesEveryDifferingField()
    {
        var second = RtuDevice.Replace("\"meter1\"", "\"meter2\"", StringComparison.Ordinal)
            .Replace("\"unitId\": 7", "\"unitId\": 8", StringComparison.Ordinal)
            .Replace("\"baudRate\": 9600", "\"baudRate\": 19200", StringComparison.Ordinal)
            .Replace("\"parity\": \"none\"", "\"parity\": \"even\"", StringComparison.Ordinal);

        var errors = Errors(RtuDevice, second);

        Assert.Equal(["$.devices[1].baudRate", "$.devices[1].parity"], errors.Select(e => e.Path));
        Assert.Contains("differs from 9600 of device 'meter1' on the same port /dev/ttyUSB0", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_TwoDevicesWithOneUnitIdOnABus_IsRefused()
    {
        var second = RtuDevice.Replace("\"meter1\"", "\"meter2\"", StringComparison.Ordinal);
        var otherPort = RtuDevice.Replace("\"meter1\"", "\"meter3\"", StringComparison.Ordinal).Replace("ttyUSB0", "ttyUSB1", StringComparison.Ordinal);
        var gatewayTwice = RtuTcpDevice.Replace("\"drive\"", "\"drive2\"", StringComparison.Ordinal);

        var errors = Errors(RtuDevice, second, otherPort, RtuTcpDevice, gatewayTwice);

        Assert.Equal(["$.devices[1].unitId", "$.devices[4].unitId"], errors.Select(e => e.Path));
        Assert.Contains("unit 7 is already device 'meter1' on /dev/ttyUSB0", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_DistinctBitsOfOneRegisterAndTheWholeRegister_AreNotOverlaps()
    {
        var site = Parse(RtuDevice);

        Assert.Equal(5, ((ModbusDeviceConfig)site.Devices[0]).Tags.Count);
    }
}
