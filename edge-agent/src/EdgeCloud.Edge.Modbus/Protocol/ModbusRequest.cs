namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// One request as a value: what to send and how to check the reply, for every function this agent
/// speaks (1-6, 15, 16). Made only through its factories, which validate the quantity and the
/// address range, so a request that exists can be sent. A read's destination is written only by a
/// reply that passed every check. Lets each transport run every function through one exchange path.
/// </summary>
public readonly struct ModbusRequest
{
    private ModbusRequest(
        ModbusFunctionCode function,
        ushort address,
        ushort value,
        ReadOnlyMemory<ushort> values,
        Memory<ushort> destination,
        ReadOnlyMemory<bool> bitValues = default,
        Memory<bool> bitDestination = default)
    {
        Function = function;
        Address = address;
        Value = value;
        Values = values;
        Destination = destination;
        BitValues = bitValues;
        BitDestination = bitDestination;
    }

    /// <summary>The function code.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>Start address.</summary>
    public ushort Address { get; }

    /// <summary>The value of a single write (a single coil write carries 0xFF00 for on, 0 for off).</summary>
    public ushort Value { get; }

    /// <summary>The values of a multiple register write.</summary>
    public ReadOnlyMemory<ushort> Values { get; }

    /// <summary>Where a register read puts the registers; its length is the quantity.</summary>
    public Memory<ushort> Destination { get; }

    /// <summary>The values of a multiple coil write.</summary>
    public ReadOnlyMemory<bool> BitValues { get; }

    /// <summary>Where a coil or discrete input read puts the bits; its length is the quantity.</summary>
    public Memory<bool> BitDestination { get; }

    /// <summary>True for functions 1 and 2.</summary>
    public bool IsBitRead => Function is ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs;

    /// <summary>True for functions 3 and 4.</summary>
    public bool IsRegisterRead => Function is ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters;

    /// <summary>Registers or bits the request covers.</summary>
    public int Quantity => Function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => BitDestination.Length,
        ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => Destination.Length,
        ModbusFunctionCode.WriteMultipleRegisters => Values.Length,
        ModbusFunctionCode.WriteMultipleCoils => BitValues.Length,
        _ => 1,
    };

    /// <summary>Bytes of data in a read reply (after function and byte count).</summary>
    internal int ReadReplyBytes => IsBitRead ? (BitDestination.Length + 7) / 8 : Destination.Length * 2;

    /// <summary>A read of function 3 or 4; validates the quantity (1-125) and the address range.</summary>
    public static ModbusRequest Read(ModbusFunctionCode function, ushort startAddress, Memory<ushort> destination)
    {
        if (function is not ModbusFunctionCode.ReadHoldingRegisters and not ModbusFunctionCode.ReadInputRegisters)
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "a register read is function 3 or 4");
        }

        ValidateRange(startAddress, destination.Length, ModbusPdu.MaxReadRegisters, nameof(destination), "registers");
        return new ModbusRequest(function, startAddress, 0, default, destination);
    }

    /// <summary>A read of function 1 or 2; validates the quantity (1-2000) and the address range.</summary>
    public static ModbusRequest ReadBits(ModbusFunctionCode function, ushort startAddress, Memory<bool> destination)
    {
        if (function is not ModbusFunctionCode.ReadCoils and not ModbusFunctionCode.ReadDiscreteInputs)
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "a bit read is function 1 or 2");
        }

        ValidateRange(startAddress, destination.Length, ModbusPdu.MaxReadBits, nameof(destination), "bits");
        return new ModbusRequest(function, startAddress, 0, default, default, default, destination);
    }

    /// <summary>A write of one register (function 6).</summary>
    public static ModbusRequest WriteSingle(ushort address, ushort value) =>
        new(ModbusFunctionCode.WriteSingleRegister, address, value, default, default);

    /// <summary>A write of 1-123 registers (function 16); validates the quantity and the address range.</summary>
    public static ModbusRequest WriteMultiple(ushort startAddress, ReadOnlyMemory<ushort> values)
    {
        ValidateRange(startAddress, values.Length, ModbusPdu.MaxWriteRegisters, nameof(values), "registers");
        return new ModbusRequest(ModbusFunctionCode.WriteMultipleRegisters, startAddress, 0, values, default);
    }

    /// <summary>A write of one coil (function 5): on is sent as 0xFF00, off as 0x0000 (spec 6.5).</summary>
    public static ModbusRequest WriteCoil(ushort address, bool on) =>
        new(ModbusFunctionCode.WriteSingleCoil, address, on ? (ushort)0xFF00 : (ushort)0, default, default);

    /// <summary>A write of 1-1968 coils (function 15); validates the quantity and the address range.</summary>
    public static ModbusRequest WriteCoils(ushort startAddress, ReadOnlyMemory<bool> values)
    {
        ValidateRange(startAddress, values.Length, ModbusPdu.MaxWriteBits, nameof(values), "coils");
        return new ModbusRequest(ModbusFunctionCode.WriteMultipleCoils, startAddress, 0, default, default, values);
    }

    /// <summary>Writes the request PDU; returns its length.</summary>
    internal int WritePdu(Span<byte> destination) => Function switch
    {
        ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
            ModbusPdu.WriteReadRequest(destination, Function, Address, Destination.Length),
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs =>
            ModbusPdu.WriteReadRequest(destination, Function, Address, BitDestination.Length),
        ModbusFunctionCode.WriteSingleRegister or ModbusFunctionCode.WriteSingleCoil =>
            ModbusPdu.WriteSingleRequest(destination, Function, Address, Value),
        ModbusFunctionCode.WriteMultipleCoils => ModbusPdu.WriteMultipleCoilsRequest(destination, Address, BitValues.Span),
        _ => ModbusPdu.WriteMultipleRegistersRequest(destination, Address, Values.Span),
    };

    /// <summary>
    /// Checks the response PDU: null when it is the expected reply (read values are copied out),
    /// the exception code for an exception response; throws <see cref="ModbusProtocolException"/>
    /// when it is malformed.
    /// </summary>
    internal ModbusExceptionCode? ReadResponse(ReadOnlySpan<byte> pdu)
    {
        if (ModbusPdu.TryReadException(pdu, Function, out var code, out var problem))
        {
            return code;
        }

        var ok = problem is null && Function switch
        {
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
                ModbusPdu.TryReadRegisters(pdu, Function, Destination.Span, out problem),
            ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs =>
                ModbusPdu.TryReadBits(pdu, Function, BitDestination.Span, out problem),
            ModbusFunctionCode.WriteSingleRegister or ModbusFunctionCode.WriteSingleCoil =>
                ModbusPdu.TryReadWriteEcho(pdu, Function, Address, Value, out problem),
            _ => ModbusPdu.TryReadWriteEcho(pdu, Function, Address, (ushort)Quantity, out problem),
        };
        return ok ? null : throw new ModbusProtocolException($"malformed reply to function {(byte)Function:X2}: {problem}");
    }

    private static void ValidateRange(ushort startAddress, int count, int max, string name, string what)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(name, count, $"a request covers 1-{max} {what}");
        }

        if (startAddress + count - 1 > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{count} {what} from {startAddress} run past address 65535");
        }
    }
}
