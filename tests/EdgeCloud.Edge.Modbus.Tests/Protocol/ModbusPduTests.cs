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

    [Fact]
    public void TryReadBits_SpecExampleOfFunction1_UnpacksLsbFirst()
    {
        // Spec 6.1: coils 20-38 (19 bits) read as CD 6B 05.
        byte[] pdu = [0x01, 0x03, 0xCD, 0x6B, 0x05];
        var bits = new bool[19];

        Assert.True(ModbusPdu.TryReadBits(pdu, ModbusFunctionCode.ReadCoils, bits, out var problem));

        Assert.Null(problem);
        var expected = new[] { 0xCD, 0x6B, 0x05 }.SelectMany(b => Enumerable.Range(0, 8).Select(i => ((b >> i) & 1) == 1)).Take(19);
        Assert.Equal(expected, bits);
    }

    [Fact]
    public void TryReadBits_ByteCountForOtherQuantity_Problem()
    {
        byte[] pdu = [0x02, 0x01, 0xFF];

        Assert.False(ModbusPdu.TryReadBits(pdu, ModbusFunctionCode.ReadDiscreteInputs, new bool[9], out var problem));

        Assert.Contains("byte count 1 for 9 bits", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMultipleCoilsRequest_SpecExample_MatchesBytes()
    {
        // Spec 6.11: 10 coils from 20 (address 19) = CD 01.
        bool[] values = [true, false, true, true, false, false, true, true, true, false];
        var pdu = new byte[8];

        var length = ModbusPdu.WriteMultipleCoilsRequest(pdu, 19, values);

        Assert.Equal(new byte[] { 0x0F, 0x00, 0x13, 0x00, 0x0A, 0x02, 0xCD, 0x01 }, pdu[..length]);
    }

    [Fact]
    public void WriteCoil_On_SendsFF00AndChecksEcho()
    {
        var request = ModbusRequest.WriteCoil(172, true);
        var pdu = new byte[5];

        request.WritePdu(pdu);

        Assert.Equal(new byte[] { 0x05, 0x00, 0xAC, 0xFF, 0x00 }, pdu);
        Assert.Null(request.ReadResponse(pdu));
        Assert.Throws<ModbusProtocolException>(() => request.ReadResponse(new byte[] { 0x05, 0x00, 0xAC, 0x00, 0x00 }));
    }
}
