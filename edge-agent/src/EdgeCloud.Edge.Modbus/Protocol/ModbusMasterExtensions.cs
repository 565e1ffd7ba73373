using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>Conveniences over <see cref="IModbusMaster"/>; they add no protocol behaviour.</summary>
public static class ModbusMasterExtensions
{
    /// <summary>Reads registers from the area a tag names (function 3 or 4).</summary>
    public static ValueTask ReadRegistersAsync(
        this IModbusMaster master,
        ModbusRegisterArea area,
        byte unitId,
        ushort startAddress,
        Memory<ushort> destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        return area switch
        {
            ModbusRegisterArea.Holding => master.ReadHoldingRegistersAsync(unitId, startAddress, destination, cancellationToken),
            ModbusRegisterArea.Input => master.ReadInputRegistersAsync(unitId, startAddress, destination, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(area), area, "unknown register area"),
        };
    }

    /// <summary>Reads <paramref name="count"/> holding registers into a new array.</summary>
    public static async ValueTask<ushort[]> ReadHoldingRegistersAsync(
        this IModbusMaster master, byte unitId, ushort startAddress, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        var registers = new ushort[ValidCount(count)];
        await master.ReadHoldingRegistersAsync(unitId, startAddress, registers, cancellationToken);
        return registers;
    }

    /// <summary>Reads <paramref name="count"/> input registers into a new array.</summary>
    public static async ValueTask<ushort[]> ReadInputRegistersAsync(
        this IModbusMaster master, byte unitId, ushort startAddress, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        var registers = new ushort[ValidCount(count)];
        await master.ReadInputRegistersAsync(unitId, startAddress, registers, cancellationToken);
        return registers;
    }

    private static int ValidCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ModbusPdu.MaxReadRegisters);
        return count;
    }
}
