using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

public sealed class RegisterReadoutTests
{
    [Theory]
    [InlineData(new ushort[] { 0x7FC0, 0x0000 }, ModbusDataType.Float32, ByteOrder.ABCD, "-")]
    [InlineData(new ushort[] { 0x0000, 0x7FC0 }, ModbusDataType.Float32, ByteOrder.ABCD, "4.5828E-41")]
    [InlineData(new ushort[] { 0xFFFF, 0xFFFE }, ModbusDataType.Int32, ByteOrder.ABCD, "-2")]
    [InlineData(new ushort[] { 0xFFFE, 0xFFFF }, ModbusDataType.Int32, ByteOrder.CDAB, "-2")]
    [InlineData(new ushort[] { 0x4005, 0xBF0A, 0x8B14, 0x5769 }, ModbusDataType.Float64, ByteOrder.ABCD, "2.718281828459045")]
    public void Format_Registers_TextOfWhatATagWouldPublish(ushort[] registers, ModbusDataType type, ByteOrder order, string expected)
    {
        Assert.Equal(expected, RegisterReadout.Format(registers, type, order));
    }

    [Fact]
    public void Write_ThreeRegisters_No64BitSectionAndTwo32BitStarts()
    {
        using var writer = new StringWriter();

        RegisterReadout.Write(writer, 100, [1, 2, 3]);

        var text = writer.ToString();
        Assert.DoesNotContain("64-bit", text, StringComparison.Ordinal);
        Assert.Contains("    100   ABCD", text, StringComparison.Ordinal);
        Assert.Contains("    101   ABCD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("    102   ABCD", text, StringComparison.Ordinal);
        Assert.Contains("    102  0x0003  0000 0000 0000 0011       3       3             768            768", text, StringComparison.Ordinal);
    }
}
