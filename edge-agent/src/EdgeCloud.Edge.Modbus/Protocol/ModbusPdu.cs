using System.Buffers.Binary;

namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// Builds request PDUs and checks response PDUs, independent of the transport (TCP's MBAP header
/// or RTU's address and CRC wrap the same PDU). A PDU is the function code and its data, at most
/// 253 bytes (Modbus Application Protocol v1.1b3, section 4.1). Nothing here allocates.
/// </summary>
internal static class ModbusPdu
{
    /// <summary>Largest PDU, in bytes.</summary>
    public const int MaxLength = 253;

    /// <summary>Most registers one read may ask for (spec 6.3/6.4: 125 so the reply fits one PDU).</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>Most registers one write-multiple may carry (spec 6.12: 123).</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>Most coils or discrete inputs one read may ask for (spec 6.1/6.2: 2000).</summary>
    public const int MaxReadBits = 2000;

    /// <summary>Most coils one write-multiple may carry (spec 6.11: 1968).</summary>
    public const int MaxWriteBits = 1968;

    /// <summary>Bit set in the function code of an exception response.</summary>
    public const byte ExceptionFlag = 0x80;

    /// <summary>Writes a read request (function 1, 2, 3 or 4): function, start address, quantity.</summary>
    public static int WriteReadRequest(Span<byte> destination, ModbusFunctionCode function, ushort startAddress, int count)
    {
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], startAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)count);
        return 5;
    }

    /// <summary>Writes a write-single request (function 5 or 6): function, address, value.</summary>
    public static int WriteSingleRequest(Span<byte> destination, ModbusFunctionCode function, ushort address, ushort value)
    {
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value);
        return 5;
    }

    /// <summary>Writes a write-multiple-coils request (function 15): function, start, quantity, byte count, bits packed LSB first.</summary>
    public static int WriteMultipleCoilsRequest(Span<byte> destination, ushort startAddress, ReadOnlySpan<bool> values)
    {
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], startAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        var bytes = (values.Length + 7) / 8;
        destination[5] = (byte)bytes;
        destination.Slice(6, bytes).Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                destination[6 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        return 6 + bytes;
    }

    /// <summary>Writes a write-multiple-registers request (function 16): function, start, quantity, byte count, values.</summary>
    public static int WriteMultipleRegistersRequest(Span<byte> destination, ushort startAddress, ReadOnlySpan<ushort> values)
    {
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], startAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(6 + (i * 2))..], values[i]);
        }

        return 6 + (values.Length * 2);
    }

    /// <summary>
    /// Recognises an exception response to <paramref name="function"/>: true with the code when
    /// <paramref name="pdu"/> is one. A malformed exception response is reported as a problem.
    /// </summary>
    public static bool TryReadException(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, out ModbusExceptionCode code, out string? problem)
    {
        code = default;
        problem = null;
        if (pdu.IsEmpty || pdu[0] != ((byte)function | ExceptionFlag))
        {
            return false;
        }

        if (pdu.Length != 2)
        {
            problem = $"exception response of {pdu.Length} bytes (expected 2)";
            return false;
        }

        code = (ModbusExceptionCode)pdu[1];
        return true;
    }

    /// <summary>
    /// Reads a register read response (function 3 or 4) for exactly <c>destination.Length</c>
    /// registers: function, byte count, values. False with the problem when it does not fit.
    /// </summary>
    public static bool TryReadRegisters(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, Span<ushort> destination, out string? problem)
    {
        if (!HasFunction(pdu, function, out problem))
        {
            return false;
        }

        var expectedBytes = destination.Length * 2;
        if (pdu.Length < 2 || pdu[1] != expectedBytes)
        {
            problem = pdu.Length < 2
                ? "response without a byte count"
                : $"byte count {pdu[1]} for {destination.Length} registers (expected {expectedBytes})";
            return false;
        }

        if (pdu.Length != 2 + expectedBytes)
        {
            problem = $"response PDU of {pdu.Length} bytes carries byte count {pdu[1]}";
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(2 + (i * 2))..]);
        }

        return true;
    }

    /// <summary>
    /// Reads a bit read response (function 1 or 2) for exactly <c>destination.Length</c> bits:
    /// function, byte count, bits packed LSB first (spec 6.1). The padding bits of the last byte
    /// are not checked: the spec asks for zeros, but devices differ and they carry no value.
    /// </summary>
    public static bool TryReadBits(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, Span<bool> destination, out string? problem)
    {
        if (!HasFunction(pdu, function, out problem))
        {
            return false;
        }

        var expectedBytes = (destination.Length + 7) / 8;
        if (pdu.Length < 2 || pdu[1] != expectedBytes)
        {
            problem = pdu.Length < 2
                ? "response without a byte count"
                : $"byte count {pdu[1]} for {destination.Length} bits (expected {expectedBytes})";
            return false;
        }

        if (pdu.Length != 2 + expectedBytes)
        {
            problem = $"response PDU of {pdu.Length} bytes carries byte count {pdu[1]}";
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (pdu[2 + (i / 8)] & (1 << (i % 8))) != 0;
        }

        return true;
    }

    /// <summary>
    /// Reads a write response (functions 5 and 6 echo address and value, 15 and 16 echo start and
    /// quantity); false with the problem when it is not the expected echo.
    /// </summary>
    public static bool TryReadWriteEcho(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, ushort first, ushort second, out string? problem)
    {
        if (!HasFunction(pdu, function, out problem))
        {
            return false;
        }

        if (pdu.Length != 5)
        {
            problem = $"write response PDU of {pdu.Length} bytes (expected 5)";
            return false;
        }

        var echoFirst = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var echoSecond = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (echoFirst != first || echoSecond != second)
        {
            problem = $"write response echoes {echoFirst}/{echoSecond} (expected {first}/{second})";
            return false;
        }

        return true;
    }

    private static bool HasFunction(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, out string? problem)
    {
        problem = null;
        if (pdu.IsEmpty)
        {
            problem = "empty response PDU";
            return false;
        }

        if (pdu[0] != (byte)function)
        {
            problem = $"response function code 0x{pdu[0]:X2} to a request with 0x{(byte)function:X2}";
            return false;
        }

        return true;
    }
}
