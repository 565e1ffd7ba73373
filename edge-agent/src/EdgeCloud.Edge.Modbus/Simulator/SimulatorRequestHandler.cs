using System.Buffers.Binary;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// The server side of the PDU: answers functions 1-6, 15 and 16 from a <see cref="SimulatorRegisterMap"/>.
/// Checks run in the spec's order (Modbus Application Protocol v1.1b3, figures 13-16): unknown
/// function -> 01, bad quantity or byte count -> 03, address range not served -> 02.
/// </summary>
internal static class SimulatorRequestHandler
{
    /// <summary>Writes the response PDU for <paramref name="request"/>; returns its length.</summary>
    public static int Handle(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map)
    {
        var function = request[0];
        return function switch
        {
            (byte)ModbusFunctionCode.ReadHoldingRegisters => Read(request, response, map, ModbusRegisterArea.Holding),
            (byte)ModbusFunctionCode.ReadInputRegisters => Read(request, response, map, ModbusRegisterArea.Input),
            (byte)ModbusFunctionCode.WriteSingleRegister => WriteSingle(request, response, map),
            (byte)ModbusFunctionCode.WriteMultipleRegisters => WriteMultiple(request, response, map),
            (byte)ModbusFunctionCode.ReadCoils => ReadBits(request, response, map, ModbusRegisterArea.Coil),
            (byte)ModbusFunctionCode.ReadDiscreteInputs => ReadBits(request, response, map, ModbusRegisterArea.DiscreteInput),
            (byte)ModbusFunctionCode.WriteSingleCoil => WriteCoil(request, response, map),
            (byte)ModbusFunctionCode.WriteMultipleCoils => WriteCoils(request, response, map),
            _ => Exception(response, function, ModbusExceptionCode.IllegalFunction),
        };
    }

    /// <summary>Writes an exception response PDU.</summary>
    public static int Exception(Span<byte> response, byte function, ModbusExceptionCode code)
    {
        response[0] = (byte)(function | ModbusPdu.ExceptionFlag);
        response[1] = (byte)code;
        return 2;
    }

    private static int Read(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map, ModbusRegisterArea area)
    {
        if (request.Length != 5)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        var start = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        if (count is < 1 or > ModbusPdu.MaxReadRegisters)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<ushort> values = stackalloc ushort[count];
        if (!map.TryRead(area, start, values))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        response[0] = request[0];
        response[1] = (byte)(count * 2);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(response[(2 + (i * 2))..], values[i]);
        }

        return 2 + (count * 2);
    }

    private static int WriteSingle(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map)
    {
        if (request.Length != 5)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        ReadOnlySpan<ushort> value = [BinaryPrimitives.ReadUInt16BigEndian(request[3..])];
        if (!map.TryWrite(address, value))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int WriteMultiple(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map)
    {
        if (request.Length < 6)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        var start = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        if (count is < 1 or > ModbusPdu.MaxWriteRegisters || request[5] != count * 2 || request.Length != 6 + (count * 2))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<ushort> values = stackalloc ushort[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(request[(6 + (i * 2))..]);
        }

        if (!map.TryWrite(start, values))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int ReadBits(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map, ModbusRegisterArea area)
    {
        var start = request.Length == 5 ? BinaryPrimitives.ReadUInt16BigEndian(request[1..]) : 0;
        var count = request.Length == 5 ? BinaryPrimitives.ReadUInt16BigEndian(request[3..]) : 0;
        if (count is < 1 or > ModbusPdu.MaxReadBits)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<bool> bits = stackalloc bool[count];
        if (!map.TryReadBits(area, start, bits))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        var bytes = (count + 7) / 8;
        response[0] = request[0];
        response[1] = (byte)bytes;
        response.Slice(2, bytes).Clear();
        for (var i = 0; i < count; i++)
        {
            if (bits[i])
            {
                response[2 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        return 2 + bytes;
    }

    private static int WriteCoil(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map)
    {
        // Spec 6.5: the value is FF00 (on) or 0000 (off); anything else is IllegalDataValue.
        var value = request.Length == 5 ? BinaryPrimitives.ReadUInt16BigEndian(request[3..]) : (ushort)1;
        if (value is not 0xFF00 and not 0)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        ReadOnlySpan<bool> on = [value == 0xFF00];
        if (!map.TryWriteBits(BinaryPrimitives.ReadUInt16BigEndian(request[1..]), on))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int WriteCoils(ReadOnlySpan<byte> request, Span<byte> response, SimulatorRegisterMap map)
    {
        var count = request.Length >= 6 ? BinaryPrimitives.ReadUInt16BigEndian(request[3..]) : 0;
        var bytes = (count + 7) / 8;
        if (count is < 1 or > ModbusPdu.MaxWriteBits || request[5] != bytes || request.Length != 6 + bytes)
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
        }

        Span<bool> values = stackalloc bool[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (request[6 + (i / 8)] & (1 << (i % 8))) != 0;
        }

        if (!map.TryWriteBits(BinaryPrimitives.ReadUInt16BigEndian(request[1..]), values))
        {
            return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
        }

        request[..5].CopyTo(response);
        return 5;
    }
}
