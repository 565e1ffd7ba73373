using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

/// <summary><c>edge-agent modbus write</c>'s body against pymodbus (holding 96-99 belong to these tests).</summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusWriteToolTests(PymodbusServer server)
{
    [Fact]
    public async Task RunAsync_ScaledUInt32_WritesReadsBackAndSaysConfirmed()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        var tag = new ModbusTagConfig("value", ModbusRegisterArea.Holding, 96, ModbusDataType.UInt32, ByteOrder.DCBA, 0.01, 0, null);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ModbusWriteTool.RunAsync(master, "plc", 1, tag, ModbusWriteTool.Parse(tag, "1234.56"), output, error, CancellationToken.None);

        Assert.Equal((ModbusReadTool.Ok, ""), (exit, error.ToString()));
        Assert.StartsWith("Confirmed: plc/value: wrote 1234.56, read back 1234.56", output.ToString(), StringComparison.Ordinal);
        var registers = await master.ReadHoldingRegistersAsync(1, 96, 2, CancellationToken.None);
        Assert.Equal([0x40E2, 0x0100], registers); // 123456 = 0x0001E240: bytes 00 01 E2 40 go out as 40 E2 01 00
    }

    [Fact]
    public async Task RunAsync_ValueThatDoesNotFit_FailsWithoutWriting()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        var tag = new ModbusTagConfig("value", ModbusRegisterArea.Holding, 98, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ModbusWriteTool.RunAsync(master, "plc", 1, tag, ModbusWriteTool.Parse(tag, "-1"), output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Failed, exit);
        Assert.StartsWith("InvalidValue: plc/value: -1 does not fit uint16", error.ToString(), StringComparison.Ordinal);
        Assert.False(master.IsConnected);
    }

    [Theory]
    [InlineData(ModbusDataType.Int64, "9007199254740993", "9007199254740993")] // 2^53 + 1 stays exact
    [InlineData(ModbusDataType.Float32, "1.5e3", "1500")]
    [InlineData(ModbusDataType.Bool, "on", "true")]
    [InlineData(ModbusDataType.String, "007", "007")]
    public void Parse_ByType_TheValueTheTagExpects(ModbusDataType type, string text, string expected)
    {
        var tag = new ModbusTagConfig("v", ModbusRegisterArea.Holding, 0, type, ByteOrder.ABCD, 1, 0, null, Bit: 0, Length: 2);

        Assert.Equal(expected, ModbusWriteTool.Parse(tag, text).ToString());
    }
}
