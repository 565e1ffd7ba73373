using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Decoding;

public sealed class RegisterTextTests
{
    [Theory]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x4142, 0x4300, 0x5858 }, "ABC")] // cut at the first NUL, garbage after it ignored
    [InlineData(ByteOrder.BADC, new ushort[] { 0x4241, 0x0043, 0x0000 }, "ABC")]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x2020, 0x4F4B, 0x2020 }, "OK")] // space padded both sides
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x0000 }, "")]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0xB04B }, "\u00B0K")] // Latin-1: every byte is a character
    public void Decode_PaddedText_Trimmed(ByteOrder order, ushort[] registers, string expected)
    {
        Assert.Equal(expected, RegisterText.Decode(registers, order));
    }

    [Theory]
    [InlineData(ByteOrder.ABCD)]
    [InlineData(ByteOrder.BADC)]
    public void TryEncode_Text_RoundTripsWithNulPadding(ByteOrder order)
    {
        var registers = new ushort[4];

        Assert.True(RegisterText.TryEncode("Pump 3", order, registers));

        Assert.Equal("Pump 3", RegisterText.Decode(registers, order));
        Assert.Equal(0, registers[3]);
    }

    [Theory]
    [InlineData("too long!")] // 9 characters in 4 registers
    [InlineData("\u20AC")] // not Latin-1
    [InlineData("a\0b")]
    public void TryEncode_DoesNotFit_False(string text)
    {
        Assert.False(RegisterText.TryEncode(text, ByteOrder.ABCD, new ushort[4]));
    }

    [Fact]
    public void TryDecode_StringTag_TextValueOfItsLength()
    {
        var tag = new ModbusTagConfig("model", ModbusRegisterArea.Holding, 0, ModbusDataType.String, ByteOrder.ABCD, 1, 0, null, Length: 2);

        Assert.True(RegisterDecoder.TryDecode(new ushort[] { 0x4142, 0x4344, 0x4546 }, tag, out var value));

        Assert.Equal(TagValue.FromText("ABCD"), value);
        Assert.False(RegisterDecoder.TryDecode(new ushort[] { 0x4142 }, tag, out _));
    }
}
