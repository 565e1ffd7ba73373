using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Decoding;

public sealed class RegisterDecoderTests
{
    /// <summary>Registers computed by hand from the big-endian bytes A B C D of each value.</summary>
    public static TheoryData<ModbusDataType, ByteOrder, ushort[], double> HandComputed() => new()
    {
        // float32 123.456f = 0x42F6E979
        { ModbusDataType.Float32, ByteOrder.ABCD, [0x42F6, 0xE979], 123.456f },
        { ModbusDataType.Float32, ByteOrder.CDAB, [0xE979, 0x42F6], 123.456f },
        { ModbusDataType.Float32, ByteOrder.BADC, [0xF642, 0x79E9], 123.456f },
        { ModbusDataType.Float32, ByteOrder.DCBA, [0x79E9, 0xF642], 123.456f },

        // int32 -123456789 = 0xF8A432EB
        { ModbusDataType.Int32, ByteOrder.ABCD, [0xF8A4, 0x32EB], -123456789 },
        { ModbusDataType.Int32, ByteOrder.CDAB, [0x32EB, 0xF8A4], -123456789 },
        { ModbusDataType.Int32, ByteOrder.BADC, [0xA4F8, 0xEB32], -123456789 },
        { ModbusDataType.Int32, ByteOrder.DCBA, [0xEB32, 0xA4F8], -123456789 },

        // uint32 0xDEADBEEF
        { ModbusDataType.UInt32, ByteOrder.ABCD, [0xDEAD, 0xBEEF], 0xDEADBEEF },
        { ModbusDataType.UInt32, ByteOrder.CDAB, [0xBEEF, 0xDEAD], 0xDEADBEEF },
        { ModbusDataType.UInt32, ByteOrder.BADC, [0xADDE, 0xEFBE], 0xDEADBEEF },
        { ModbusDataType.UInt32, ByteOrder.DCBA, [0xEFBE, 0xADDE], 0xDEADBEEF },

        // int16 -2 = 0xFFFE: only the byte swap matters for one register
        { ModbusDataType.Int16, ByteOrder.ABCD, [0xFFFE], -2 },
        { ModbusDataType.Int16, ByteOrder.CDAB, [0xFFFE], -2 },
        { ModbusDataType.Int16, ByteOrder.BADC, [0xFEFF], -2 },
        { ModbusDataType.Int16, ByteOrder.DCBA, [0xFEFF], -2 },

        // uint16 65535 reads the same in every order; 0x1234 shows the swap
        { ModbusDataType.UInt16, ByteOrder.ABCD, [0xFFFF], 65535 },
        { ModbusDataType.UInt16, ByteOrder.CDAB, [0xFFFF], 65535 },
        { ModbusDataType.UInt16, ByteOrder.BADC, [0xFFFF], 65535 },
        { ModbusDataType.UInt16, ByteOrder.DCBA, [0xFFFF], 65535 },
        { ModbusDataType.UInt16, ByteOrder.ABCD, [0x1234], 0x1234 },
        { ModbusDataType.UInt16, ByteOrder.CDAB, [0x1234], 0x1234 },
        { ModbusDataType.UInt16, ByteOrder.BADC, [0x3412], 0x1234 },
        { ModbusDataType.UInt16, ByteOrder.DCBA, [0x3412], 0x1234 },
    };

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void TryDecodeRaw_HandComputedRegisters_ReturnsValue(ModbusDataType type, ByteOrder order, ushort[] registers, double expected)
    {
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, type, order, out var value));

        if (type == ModbusDataType.Float32)
        {
            Assert.Equal(TagValueKind.Number, value.Kind);
            Assert.Equal(expected, value.AsDouble());
        }
        else
        {
            Assert.Equal(TagValueKind.Integer, value.Kind);
            Assert.Equal((long)expected, value.AsInteger());
        }
    }

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void TryEncodeRaw_HandComputedValue_ProducesTheRegisters(ModbusDataType type, ByteOrder order, ushort[] registers, double value)
    {
        var encoded = new ushort[type.RegisterCount()];

        Assert.True(RegisterEncoder.TryEncodeRaw(value, type, order, encoded));

        Assert.Equal(registers, encoded);
    }

    [Fact]
    public void TryDecode_IdentityScaling_KeepsExactInteger()
    {
        var tag = Tag(ModbusDataType.UInt32, ByteOrder.ABCD, scale: 1, offset: 0);

        Assert.True(RegisterDecoder.TryDecode([0xDEAD, 0xBEEF], tag, out var value));

        Assert.Equal(TagValue.FromInteger(0xDEADBEEF), value);
    }

    [Fact]
    public void TryDecode_ScaleAndOffset_ReturnsEngineeringNumber()
    {
        var tag = Tag(ModbusDataType.Int16, ByteOrder.BADC, scale: 0.5, offset: 10);

        Assert.True(RegisterDecoder.TryDecode([0xFEFF], tag, out var value));

        Assert.Equal(TagValueKind.Number, value.Kind);
        Assert.Equal(9.0, value.AsDouble()); // -2 * 0.5 + 10
    }

    [Fact]
    public void TryDecode_FloatWithOffsetOnly_ReturnsNumber()
    {
        var tag = Tag(ModbusDataType.Float32, ByteOrder.CDAB, scale: 1, offset: -100);

        Assert.True(RegisterDecoder.TryDecode([0xE979, 0x42F6], tag, out var value));

        Assert.Equal(123.456f - 100.0, value.AsDouble(), 1e-9);
    }

    [Fact]
    public void TryDecodeRaw_TooFewRegisters_ReturnsFalse()
    {
        Assert.False(RegisterDecoder.TryDecodeRaw([0x42F6], ModbusDataType.Float32, ByteOrder.ABCD, out var value));
        Assert.Equal(TagValue.None, value);
    }

    [Theory]
    [InlineData((ushort)0x7FC0, (ushort)0x0000)] // NaN
    [InlineData((ushort)0x7F80, (ushort)0x0000)] // +infinity
    public void TryDecodeRaw_NonFiniteFloat_ReturnsFalse(ushort high, ushort low)
    {
        Assert.False(RegisterDecoder.TryDecodeRaw([high, low], ModbusDataType.Float32, ByteOrder.ABCD, out _));
    }

    [Fact]
    public void TryDecode_DoesNotAllocate()
    {
        var tag = Tag(ModbusDataType.Float32, ByteOrder.DCBA, scale: 2, offset: 1);
        ushort[] registers = [0x79E9, 0xF642];
        RegisterDecoder.TryDecode(registers, tag, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RegisterDecoder.TryDecode(registers, tag, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static ModbusTagConfig Tag(ModbusDataType type, ByteOrder order, double scale, double offset) =>
        new("t", ModbusRegisterArea.Holding, 0, type, order, scale, offset, null);
}
