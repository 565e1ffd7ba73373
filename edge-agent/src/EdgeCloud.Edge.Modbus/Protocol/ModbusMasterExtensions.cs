using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The typed Modbus calls, each one <see cref="ModbusRequest"/> through
/// <see cref="IModbusMaster.ExecuteAsync"/>; they add no protocol behaviour. Quantities and
/// address ranges are validated before anything is sent (<see cref="ArgumentOutOfRangeException"/>).
/// </summary>
public static class ModbusMasterExtensions
{
    /// <summary>Reads <c>destination.Length</c> (1-125) holding registers starting at <paramref name="startAddress"/> (function 3).</summary>
    public static ValueTask ReadHoldingRegistersAsync(this IModbusMaster master, byte unitId, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.Read(ModbusFunctionCode.ReadHoldingRegisters, startAddress, destination), cancellationToken);

    /// <summary>Reads <c>destination.Length</c> (1-125) input registers starting at <paramref name="startAddress"/> (function 4).</summary>
    public static ValueTask ReadInputRegistersAsync(this IModbusMaster master, byte unitId, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.Read(ModbusFunctionCode.ReadInputRegisters, startAddress, destination), cancellationToken);

    /// <summary>Writes one holding register (function 6).</summary>
    public static ValueTask WriteSingleRegisterAsync(this IModbusMaster master, byte unitId, ushort address, ushort value, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.WriteSingle(address, value), cancellationToken);

    /// <summary>Writes <c>values.Length</c> (1-123) holding registers starting at <paramref name="startAddress"/> (function 16).</summary>
    public static ValueTask WriteMultipleRegistersAsync(this IModbusMaster master, byte unitId, ushort startAddress, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.WriteMultiple(startAddress, values), cancellationToken);

    /// <summary>Reads <c>destination.Length</c> (1-2000) coils starting at <paramref name="startAddress"/> (function 1).</summary>
    public static ValueTask ReadCoilsAsync(this IModbusMaster master, byte unitId, ushort startAddress, Memory<bool> destination, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.ReadBits(ModbusFunctionCode.ReadCoils, startAddress, destination), cancellationToken);

    /// <summary>Reads <c>destination.Length</c> (1-2000) discrete inputs starting at <paramref name="startAddress"/> (function 2).</summary>
    public static ValueTask ReadDiscreteInputsAsync(this IModbusMaster master, byte unitId, ushort startAddress, Memory<bool> destination, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.ReadBits(ModbusFunctionCode.ReadDiscreteInputs, startAddress, destination), cancellationToken);

    /// <summary>Writes one coil (function 5).</summary>
    public static ValueTask WriteSingleCoilAsync(this IModbusMaster master, byte unitId, ushort address, bool on, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.WriteCoil(address, on), cancellationToken);

    /// <summary>Writes <c>values.Length</c> (1-1968) coils starting at <paramref name="startAddress"/> (function 15).</summary>
    public static ValueTask WriteMultipleCoilsAsync(this IModbusMaster master, byte unitId, ushort startAddress, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        Checked(master).ExecuteAsync(unitId, ModbusRequest.WriteCoils(startAddress, values), cancellationToken);

    /// <summary>Reads registers from the area a tag names (function 3 or 4).</summary>
    public static ValueTask ReadRegistersAsync(
        this IModbusMaster master, ModbusRegisterArea area, byte unitId, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken) => area switch
        {
            ModbusRegisterArea.Holding => master.ReadHoldingRegistersAsync(unitId, startAddress, destination, cancellationToken),
            ModbusRegisterArea.Input => master.ReadInputRegistersAsync(unitId, startAddress, destination, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(area), area, "not a register area"),
        };

    /// <summary>Reads bits from the area a tag names (function 1 or 2).</summary>
    public static ValueTask ReadBitsAsync(
        this IModbusMaster master, ModbusRegisterArea area, byte unitId, ushort startAddress, Memory<bool> destination, CancellationToken cancellationToken) => area switch
        {
            ModbusRegisterArea.Coil => master.ReadCoilsAsync(unitId, startAddress, destination, cancellationToken),
            ModbusRegisterArea.DiscreteInput => master.ReadDiscreteInputsAsync(unitId, startAddress, destination, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(area), area, "not a bit area"),
        };

    /// <summary>Reads <paramref name="count"/> holding registers into a new array.</summary>
    public static async ValueTask<ushort[]> ReadHoldingRegistersAsync(
        this IModbusMaster master, byte unitId, ushort startAddress, int count, CancellationToken cancellationToken)
    {
        var registers = new ushort[ValidCount(count)];
        await master.ReadHoldingRegistersAsync(unitId, startAddress, registers, cancellationToken);
        return registers;
    }

    /// <summary>Reads <paramref name="count"/> input registers into a new array.</summary>
    public static async ValueTask<ushort[]> ReadInputRegistersAsync(
        this IModbusMaster master, byte unitId, ushort startAddress, int count, CancellationToken cancellationToken)
    {
        var registers = new ushort[ValidCount(count)];
        await master.ReadInputRegistersAsync(unitId, startAddress, registers, cancellationToken);
        return registers;
    }

    private static IModbusMaster Checked(IModbusMaster master)
    {
        ArgumentNullException.ThrowIfNull(master);
        return master;
    }

    private static int ValidCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ModbusPdu.MaxReadRegisters);
        return count;
    }
}
