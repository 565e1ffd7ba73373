using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Writes;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Writes;

public sealed class TagWriteEncodingTests
{
    [Theory]
    [InlineData(ModbusDataType.Int64, ByteOrder.DCBA, 9007199254740993)] // 2^53 + 1: a double would make it 2^53
    [InlineData(ModbusDataType.Int64, ByteOrder.ABCD, long.MinValue)]
    [InlineData(ModbusDataType.UInt64, ByteOrder.CDAB, long.MaxValue)]
    public void TryRegisters_LargeIntegers_Exact(ModbusDataType type, ByteOrder order, long value)
    {
        var tag = new ModbusTagConfig("t", ModbusRegisterArea.Holding, 0, type, order, 1, 0, null, Writable: true);
        var registers = new ushort[4];

        Assert.True(TagWriteEncoding.TryRegisters(tag, TagValue.FromInteger(value), registers, out _));

        Assert.True(RegisterDecoder.TryDecode(registers, tag, out var back));
        Assert.Equal(TagValue.FromInteger(value), back);
    }

    [Theory]
    [InlineData(ModbusDataType.UInt64, -1L, "-1 does not fit uint64")]
    [InlineData(ModbusDataType.Int16, 40000L, "40000 does not fit int16")]
    public void TryRegisters_OutOfRange_Refused(ModbusDataType type, long value, string problem)
    {
        var tag = new ModbusTagConfig("t", ModbusRegisterArea.Holding, 0, type, ByteOrder.ABCD, 1, 0, null, Writable: true);

        Assert.False(TagWriteEncoding.TryRegisters(tag, TagValue.FromInteger(value), new ushort[4], out var reason));

        Assert.Equal(problem, reason);
    }
}
