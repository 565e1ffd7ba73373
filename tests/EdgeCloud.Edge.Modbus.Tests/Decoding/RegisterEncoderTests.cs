using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;

namespace EdgeCloud.Edge.Modbus.Tests.Decoding;

public sealed class RegisterEncoderTests
{
    public static TheoryData<ModbusDataType, ByteOrder, double> RoundTrips()
    {
        var data = new TheoryData<ModbusDataType, ByteOrder, double>();
        var values = new Dictionary<ModbusDataType, double[]>
        {
            [ModbusDataType.Int16] = [short.MinValue, -1, 0, 1, 12345, short.MaxValue],
            [ModbusDataType.UInt16] = [0, 1, 0x1234, 0x8000, ushort.MaxValue],
            [ModbusDataType.Int32] = [int.MinValue, -123456789, -1, 0, 70000, int.MaxValue],
            [ModbusDataType.UInt32] = [0, 65536, 0x80000000, 0xDEADBEEF, uint.MaxValue],
            [ModbusDataType.Float32] = [0, -0.15625, 1013.25, float.MaxValue, float.Epsilon, -123.456f],
        };
        foreach (var (type, list) in values)
        {
            foreach (var order in Enum.GetValues<ByteOrder>())
            {
                foreach (var value in list)
                {
                    data.Add(type, order, value);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void TryEncodeRaw_ThenDecode_ReturnsTheValue(ModbusDataType type, ByteOrder order, double value)
    {
        Span<ushort> registers = stackalloc ushort[2];

        Assert.True(RegisterEncoder.TryEncodeRaw(value, type, order, registers));
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, type, order, out var decoded));

        Assert.Equal(value, decoded.AsDouble());
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, 32768)]
    [InlineData(ModbusDataType.Int16, -32769)]
    [InlineData(ModbusDataType.UInt16, -1)]
    [InlineData(ModbusDataType.UInt16, 65536)]
    [InlineData(ModbusDataType.Int32, 2147483648)]
    [InlineData(ModbusDataType.UInt32, 4294967296)]
    [InlineData(ModbusDataType.UInt32, 1.5)]
    [InlineData(ModbusDataType.Float32, double.NaN)]
    [InlineData(ModbusDataType.Float32, 1e39)]
    public void TryEncodeRaw_ValueOutsideType_ReturnsFalse(ModbusDataType type, double value)
    {
        Assert.False(RegisterEncoder.TryEncodeRaw(value, type, ByteOrder.ABCD, new ushort[2]));
    }

    [Fact]
    public void TryEncodeRaw_DestinationTooShort_ReturnsFalse()
    {
        Assert.False(RegisterEncoder.TryEncodeRaw(1, ModbusDataType.Int32, ByteOrder.ABCD, new ushort[1]));
    }

    [Fact]
    public void TryEncode_EngineeringValue_UnscalesAndRounds()
    {
        var tag = new ModbusTagConfig("level", ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.BADC, 0.1, 5, "%");
        var registers = new ushort[1];

        Assert.True(RegisterEncoder.TryEncode(26.55, tag, registers)); // (26.55 - 5) / 0.1 = 215.5 -> 216
        Assert.True(RegisterDecoder.TryDecode(registers, tag, out var value));

        Assert.Equal(0xD800, registers[0]); // 216 = 0x00D8, byte-swapped
        Assert.Equal(26.6, value.AsDouble(), 1e-9);
    }
}
