namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// One request as a value: what to send and how to check the reply. Lets a transport run every
/// function through one exchange path without closures. <see cref="Destination"/> is written only
/// by a successful read.
/// </summary>
internal readonly struct ModbusRequest
{
    private ModbusRequest(ModbusFunctionCode function, ushort address, ushort value, ReadOnlyMemory<ushort> values, Memory<ushort> destination)
    {
        Function = function;
        Address = address;
        Value = value;
        Values = values;
        Destination = destination;
    }

    /// <summary>The function code.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>Start address.</summary>
    public ushort Address { get; }

    /// <summary>The value of a single write.</summary>
    public ushort Value { get; }

    /// <summary>The values of a multiple write.</summary>
    public ReadOnlyMemory<ushort> Values { get; }

    /// <summary>Where a read puts the registers; its length is the quantity.</summary>
    public Memory<ushort> Destination { get; }

    /// <summary>A read of function 3 or 4; validates the quantity (1-125) and the address range.</summary>
    public static ModbusRequest Read(ModbusFunctionCode function, ushort startAddress, Memory<ushort> destination)
    {
        ValidateRange(startAddress, destination.Length, ModbusPdu.MaxReadRegisters, nameof(destination));
        return new ModbusRequest(function, startAddress, 0, default, destination);
    }

    /// <summary>A write of one register.</summary>
    public static ModbusRequest WriteSingle(ushort address, ushort value) =>
        new(ModbusFunctionCode.WriteSingleRegister, address, value, default, default);

    /// <summary>A write of 1-123 registers; validates the quantity and the address range.</summary>
    public static ModbusRequest WriteMultiple(ushort startAddress, ReadOnlyMemory<ushort> values)
    {
        ValidateRange(startAddress, values.Length, ModbusPdu.MaxWriteRegisters, nameof(values));
        return new ModbusRequest(ModbusFunctionCode.WriteMultipleRegisters, startAddress, 0, values, default);
    }

    /// <summary>Writes the request PDU; returns its length.</summary>
    public int WritePdu(Span<byte> destination) => Function switch
    {
        ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
            ModbusPdu.WriteReadRequest(destination, Function, Address, Destination.Length),
        ModbusFunctionCode.WriteSingleRegister => ModbusPdu.WriteSingleRegisterRequest(destination, Address, Value),
        _ => ModbusPdu.WriteMultipleRegistersRequest(destination, Address, Values.Span),
    };

    /// <summary>
    /// Checks the response PDU: null when it is the expected reply (read values are copied out),
    /// the exception code for an exception response; throws <see cref="ModbusProtocolException"/>
    /// when it is malformed.
    /// </summary>
    public ModbusExceptionCode? ReadResponse(ReadOnlySpan<byte> pdu)
    {
        if (ModbusPdu.TryReadException(pdu, Function, out var code, out var problem))
        {
            return code;
        }

        var ok = problem is null && Function switch
        {
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
                ModbusPdu.TryReadRegisters(pdu, Function, Destination.Span, out problem),
            ModbusFunctionCode.WriteSingleRegister => ModbusPdu.TryReadWriteEcho(pdu, Function, Address, Value, out problem),
            _ => ModbusPdu.TryReadWriteEcho(pdu, Function, Address, (ushort)Values.Length, out problem),
        };
        return ok ? null : throw new ModbusProtocolException($"malformed reply to function {(byte)Function:X2}: {problem}");
    }

    private static void ValidateRange(ushort startAddress, int count, int max, string name)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(name, count, $"a request covers 1-{max} registers");
        }

        if (startAddress + count - 1 > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{count} registers from {startAddress} run past register 65535");
        }
    }
}
