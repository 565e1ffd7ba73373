using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Decoding;

/// <summary>Four-register types and register bits.</summary>
public sealed class RegisterDecoder64Tests
{
    [Theory]
    // int64 -2 = FF FF FF FF FF FF FF FE; the bytes named A..H from the most significant.
    [InlineData(ByteOrder.ABCD, new ushort[] { 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE })]
    [InlineData(ByteOrder.CDAB, new ushort[] { 0xFFFE, 0xFFFF, 0xFFFF, 0xFFFF })]
    [InlineData(ByteOrder.BADC, new ushort[] { 0xFFFF, 0xFFFF, 0xFFFF, 0xFEFF })]
    [InlineData(ByteOrder.DCBA, new ushort[] { 0xFEFF, 0xFFFF, 0xFFFF, 0xFFFF })]
    public void TryDecodeRaw_Int64MinusTwo_WordOrderAndByteSwap(ByteOrder order, ushort[] registers)
    {
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, ModbusDataType.Int64, order, out var value));

        Assert.Equal(TagValue.FromInteger(-2), value);
    }

    [Theory]
    // 0x0102030405060708 with every order spelled out register by register.
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x0102, 0x0304, 0x0506, 0x0708 })]
    [InlineData(ByteOrder.CDAB, new ushort[] { 0x0708, 0x0506, 0x0304, 0x0102 })]
    [InlineData(ByteOrder.BADC, new ushort[] { 0x0201, 0x0403, 0x0605, 0x0807 })]
    [InlineData(ByteOrder.DCBA, new ushort[] { 0x0807, 0x0605, 0x0403, 0x0201 })]
    public void TryDecodeRaw_UInt64DistinctBytes_LandInPlace(ByteOrder order, ushort[] registers)
    {
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, ModbusDataType.UInt64, order, out var value));
        var encoded = new ushort[4];
        RegisterWords.From64(0x0102030405060708, order, encoded); // bits, not a double: 57 significant bits would round

        Assert.Equal(TagValue.FromInteger(0x0102030405060708), value);
        Assert.Equal(registers, encoded);
    }

    [Fact]
    public void TryDecodeRaw_UInt64AboveLongMax_BecomesTheNearestNumber()
    {
        Assert.True(RegisterDecoder.TryDecodeRaw([0xFFFF, 0xFFFF, 0xFFFF, 0xF800], ModbusDataType.UInt64, ByteOrder.ABCD, out var value));

        Assert.Equal(TagValue.FromNumber(18446744073709549568.0), value);
    }

    [Theory]
    [InlineData(ByteOrder.ABCD, new ushort[] { 0x4005, 0xBF0A, 0x8B14, 0x5769 })]
    [InlineData(ByteOrder.DCBA, new ushort[] { 0x6957, 0x148B, 0x0ABF, 0x0540 })]
    public void TryDecodeRaw_Float64E_IsExact(ByteOrder order, ushort[] registers)
    {
        // Math.E = 0x4005BF0A8B145769.
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, ModbusDataType.Float64, order, out var value));

        Assert.Equal(TagValue.FromNumber(Math.E), value);
    }

    [Fact]
    public void TryDecodeRaw_Float64NaN_Fails()
    {
        Assert.False(RegisterDecoder.TryDecodeRaw([0x7FF8, 0, 0, 0], ModbusDataType.Float64, ByteOrder.ABCD, out _));
        Assert.False(RegisterDecoder.TryDecodeRaw([0x4005, 0xBF0A, 0x8B14], ModbusDataType.Float64, ByteOrder.ABCD, out _));
    }

    [Theory]
    [InlineData(0, ByteOrder.ABCD, true)]
    [InlineData(1, ByteOrder.ABCD, false)]
    [InlineData(15, ByteOrder.ABCD, true)]
    [InlineData(8, ByteOrder.ABCD, false)]
    [InlineData(8, ByteOrder.BADC, true)]
    [InlineData(0, ByteOrder.BADC, false)]
    public void TryDecode_BoolBit_ReadsThatBitOnlyAndIsNeverScaled(byte bit, ByteOrder order, bool expected)
    {
        var tag = new ModbusTagConfig("b", ModbusRegisterArea.Holding, 0, ModbusDataType.Bool, order, 10, 5, null, bit);

        Assert.True(RegisterDecoder.TryDecode([0x8001], tag, out var value));

        Assert.Equal(TagValue.FromFlag(expected), value);
    }

    [Fact]
    public void TryEncode_BoolBit_SetsAndClearsOnlyItsBit()
    {
        var registers = new ushort[] { 0x00F0 };
        var set = new ModbusTagConfig("b", ModbusRegisterArea.Holding, 0, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, 1);
        var clear = set with { Bit = 4 };

        Assert.True(RegisterEncoder.TryEncode(1, set, registers));
        Assert.True(RegisterEncoder.TryEncode(0, clear, registers));
        Assert.False(RegisterEncoder.TryEncode(2, set, registers));

        Assert.Equal(0x00E2, registers[0]);
    }

    [Theory]
    [InlineData(ModbusDataType.Int64, 9223372036854775808.0)]
    [InlineData(ModbusDataType.UInt64, -1)]
    [InlineData(ModbusDataType.UInt64, 18446744073709551616.0)]
    [InlineData(ModbusDataType.Int64, 0.5)]
    public void TryEncodeRaw_Outside64BitRange_ReturnsFalse(ModbusDataType type, double value)
    {
        Assert.False(RegisterEncoder.TryEncodeRaw(value, type, ByteOrder.ABCD, new ushort[4]));
    }

    [Theory]
    [InlineData(ByteOrder.ABCD)]
    [InlineData(ByteOrder.CDAB)]
    [InlineData(ByteOrder.BADC)]
    [InlineData(ByteOrder.DCBA)]
    public void TryEncodeRaw_Float64ThenDecode_RoundTrips(ByteOrder order)
    {
        var registers = new ushort[4];

        Assert.True(RegisterEncoder.TryEncodeRaw(-6.02214076e23, ModbusDataType.Float64, order, registers));
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, ModbusDataType.Float64, order, out var value));

        Assert.Equal(-6.02214076e23, value.AsDouble());
    }
}
