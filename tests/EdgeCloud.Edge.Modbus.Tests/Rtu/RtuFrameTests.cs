using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

public sealed class RtuFrameTests
{
    private static readonly ModbusRequest ReadTwo = ModbusRequest.Read(ModbusFunctionCode.ReadHoldingRegisters, 0, new ushort[2]);

    [Fact]
    public void TryReadReply_WholeReadReply_CompleteWithItsLength()
    {
        byte[] frame = [0x11, 0x03, 0x04, 0x00, 0x01, 0x00, 0x02, 0, 0];
        ModbusCrc16.Append(frame, 7);

        Assert.Equal(RtuFrameStatus.Complete, RtuFrame.TryReadReply(frame, 0x11, ReadTwo, out var length, out _));
        Assert.Equal(9, length);
        for (var cut = 0; cut < frame.Length; cut++)
        {
            Assert.Equal(RtuFrameStatus.Incomplete, RtuFrame.TryReadReply(frame.AsSpan(0, cut), 0x11, ReadTwo, out _, out _));
        }
    }

    [Fact]
    public void TryReadReply_ExceptionReply_CompleteAtFiveBytes()
    {
        byte[] frame = [0x11, 0x83, 0x02, 0, 0];
        ModbusCrc16.Append(frame, 3);

        Assert.Equal(RtuFrameStatus.Complete, RtuFrame.TryReadReply(frame, 0x11, ReadTwo, out var length, out _));
        Assert.Equal(5, length);
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x03 }, "unit 18")]
    [InlineData(new byte[] { 0x11, 0x04 }, "function 0x04")]
    [InlineData(new byte[] { 0x11, 0x03, 0x06 }, "byte count 6")]
    public void TryReadReply_NotTheReplyToThisRequest_UnexpectedAsSoonAsItShows(byte[] start, string reason)
    {
        Assert.Equal(RtuFrameStatus.Unexpected, RtuFrame.TryReadReply(start, 0x11, ReadTwo, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadReply_OneBitFlipped_CrcError()
    {
        byte[] frame = [0x11, 0x03, 0x04, 0x00, 0x01, 0x00, 0x02, 0, 0];
        ModbusCrc16.Append(frame, 7);
        frame[4] ^= 0x10;

        Assert.Equal(RtuFrameStatus.CrcError, RtuFrame.TryReadReply(frame, 0x11, ReadTwo, out _, out _));
    }

    [Fact]
    public void WriteRequest_WriteSingleRegister_UnitPduAndCrc()
    {
        var frame = new byte[RtuFrame.MaxLength];

        var length = RtuFrame.WriteRequest(frame, 0x01, ModbusRequest.WriteSingle(0x0001, 0x0003));

        // 01 06 00 01 00 03 98 0B: a well-known example frame for function 6.
        Assert.Equal([0x01, 0x06, 0x00, 0x01, 0x00, 0x03, 0x98, 0x0B], frame[..length]);
    }
}
