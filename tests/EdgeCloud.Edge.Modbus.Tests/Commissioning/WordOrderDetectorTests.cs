using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Decoding;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

public sealed class WordOrderDetectorTests
{
    [Theory]
    [InlineData(ByteOrder.ABCD)]
    [InlineData(ByteOrder.CDAB)]
    [InlineData(ByteOrder.BADC)]
    [InlineData(ByteOrder.DCBA)]
    public void Rank_Float32VoltageFollowedByAnotherTag_RightOrderFirst(ByteOrder order)
    {
        var registers = new ushort[4];
        Assert.True(RegisterEncoder.TryEncodeRaw(230.4, ModbusDataType.Float32, order, registers));
        registers[2] = 0x1234; // the next tag's registers, whatever they hold
        registers[3] = 0xABCD;

        var best = WordOrderDetector.Rank(registers, 200, 260)[0];

        Assert.Equal((ModbusDataType.Float32, order, 1.0), (best.Type, best.Order, best.Scale));
        Assert.Equal(230.4, best.Value, 1e-4);
    }

    [Fact]
    public void Rank_FixedPointTenthsInOneRegister_ScaleOneTenthFirst()
    {
        // 2304 = 230.4 V in tenths, as many meters publish it.
        var best = WordOrderDetector.Rank([2304, 0, 0, 0], 200, 260)[0];

        Assert.Equal((ModbusDataType.Int16, ByteOrder.ABCD, 0.1), (best.Type, best.Order, best.Scale));
        Assert.Equal(230.4, best.Value, 1e-9);
    }

    [Fact]
    public void Rank_Float64CounterInDcba_IsFoundAmongFourRegisterReadings()
    {
        var registers = new ushort[4];
        Assert.True(RegisterEncoder.TryEncodeRaw(1234567.25, ModbusDataType.Float64, ByteOrder.DCBA, registers));

        var best = WordOrderDetector.Rank(registers, 1_000_000, 2_000_000)[0];

        Assert.Equal((ModbusDataType.Float64, ByteOrder.DCBA, 1.0, 1234567.25), (best.Type, best.Order, best.Scale, best.Value));
    }

    [Fact]
    public void Rank_NothingInRange_Empty()
    {
        Assert.Empty(WordOrderDetector.Rank([0xFFFF], 1, 2));
    }

    [Fact]
    public void Rank_ReversedRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => WordOrderDetector.Rank([1], 10, 1));
    }
}
