using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.Tests.Protocol;

/// <summary>Frames against the examples of the Modbus Application Protocol v1.1b3 (sections 6.3, 6.6, 6.12).</summary>
public sealed class ModbusPduTests
{
    [Fact]
    public void WriteReadRequest_SpecExample_MatchesBytes()
    {
        var pdu = new byte[5];

        var length = ModbusPdu.WriteReadRequest(pdu, ModbusFunctionCode.ReadHoldingRegisters, 107, 3);

        Assert.Equal(5, length);
        Assert.Equal(new byte[] { 0x03, 0x00, 0x6B, 0x00, 0x03 }, pdu);
    }

    [Fact]
    public void TryReadRegisters_SpecExampleResponse_ReturnsValues()
    {
        byte[] pdu = [0x03, 0x06, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64];
        var registers = new ushort[3];

        Assert.True(ModbusPdu.TryReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, registers, out var problem));

        Assert.Null(problem);
        Assert.Equal([555, 0, 100], registers);
    }

    [Fact]
    public void WriteSingleRequest_SpecExample_MatchesBytes()
    {
        var pdu = new byte[5];

        ModbusPdu.WriteSingleRequest(pdu, ModbusFunctionCode.WriteSingleRegister, 1, 3);

        Assert.Equal(new byte[] { 0x06, 0x00, 0x01, 0x00, 0x03 }, pdu);
    }

    [Fact]
    public void WriteMultipleRegistersRequest_SpecExample_MatchesBytes()
    {
        var pdu = new byte[10];

        var length = ModbusPdu.WriteMultipleRegistersRequest(pdu, 1, [0x000A, 0x0102]);

        Assert.Equal(10, length);
        Assert.Equal(new byte[] { 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02 }, pdu);
    }

    [Fact]
    public void TryReadWriteEcho_WrongEcho_ReportsProblem()
    {
        byte[] pdu = [0x10, 0x00, 0x01, 0x00, 0x03];

        Assert.False(ModbusPdu.TryReadWriteEcho(pdu, ModbusFunctionCode.WriteMultipleRegisters, 1, 2, out var problem));

        Assert.Contains("echoes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadException_ExceptionResponse_ReturnsCode()
    {
        Assert.True(ModbusPdu.TryReadException([0x84, 0x02], ModbusFunctionCode.ReadInputRegisters, out var code, out _));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, code);
        Assert.False(ModbusPdu.TryReadException([0x83, 0x02], ModbusFunctionCode.ReadInputRegisters, out _, out _));
    }

    [Fact]
    public void MbapHeader_WriteThenRead_RoundTripsAndValidates()
    {
        var bytes = new byte[7];
        new MbapHeader(0xBEEF, 0, 6, 0x11).Write(bytes);

        Assert.Equal(new byte[] { 0xBE, 0xEF, 0x00, 0x00, 0x00, 0x06, 0x11 }, bytes);
        Assert.True(MbapHeader.TryRead(bytes, out var header));
        Assert.Equal((0xBEEF, 6, 0x11, 12), (header.TransactionId, header.Length, header.UnitId, header.FrameLength));
        Assert.Null(header.Problem());
        Assert.NotNull((header with { ProtocolId = 1 }).Problem());
        Assert.NotNull((header with { Length = 1 }).Problem());
        Assert.NotNull((header with { Length = 255 }).Problem());
        Assert.False(MbapHeader.TryRead(bytes.AsSpan(0, 6), out _));
    }
}
