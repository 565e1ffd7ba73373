using System.Diagnostics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// The body of <c>edge-agent modbus read</c>: one read of a register block through any master,
/// printed with <see cref="RegisterReadout"/>, or a failure explained in installer terms (what the
/// device said, or what to check when it said nothing). Returns a process exit code.
/// </summary>
internal static class ModbusReadTool
{
    /// <summary>Exit code for a completed read.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when the device could not be read.</summary>
    public const int Failed = 1;

    /// <summary>Reads <paramref name="count"/> registers (1-125) and prints them in every decoding, or bits (1-2000) of a coil or discrete input area.</summary>
    public static async Task<int> RunAsync(
        IModbusMaster master,
        string endpoint,
        byte unitId,
        ModbusRegisterArea area,
        ushort address,
        int count,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var what = $"{count} {AreaName(area)} from {address} of unit {unitId} on {endpoint}";
        var registers = area.IsBits() ? [] : new ushort[count];
        var bits = area.IsBits() ? new bool[count] : [];
        var watch = Stopwatch.StartNew();
        try
        {
            if (area.IsBits())
            {
                await master.ReadBitsAsync(area, unitId, address, bits, cancellationToken);
            }
            else
            {
                await master.ReadRegistersAsync(area, unitId, address, registers, cancellationToken);
            }
        }
        catch (ModbusException ex)
        {
            await error.WriteLineAsync(
                $"reading {what}: the device answered exception {(byte)ex.ExceptionCode:X2} ({ex.ExceptionCode}){ModbusExceptionQuality.Hint(ex.ExceptionCode)} (tags here would read {ModbusExceptionQuality.For(ex.ExceptionCode)})");
            return Failed;
        }
        catch (ModbusTimeoutException ex)
        {
            await error.WriteLineAsync($"reading {what}: no answer ({ex.Message}). Check the unit id, and on a serial line the baud rate, parity, A/B wiring and termination.");
            return Failed;
        }
        catch (ModbusCorruptFrameException ex)
        {
            await error.WriteLineAsync($"reading {what}: corrupt reply ({ex.Kind}: {ex.Message}). Check baud rate, parity, wiring and termination; another master on the bus garbles replies too.");
            return Failed;
        }
        catch (Exception ex) when (ex is ModbusTransportException or ModbusProtocolException)
        {
            await error.WriteLineAsync($"reading {what}: {ex.Message}");
            return Failed;
        }

        await output.WriteLineAsync($"Read {what} in {watch.Elapsed.TotalMilliseconds:0.0} ms.");
        await output.WriteLineAsync();
        if (area.IsBits())
        {
            RegisterReadout.WriteBits(output, address, bits);
        }
        else
        {
            RegisterReadout.Write(output, address, registers);
        }

        return Ok;
    }

    private static string AreaName(ModbusRegisterArea area) => area switch
    {
        ModbusRegisterArea.Holding => "holding registers",
        ModbusRegisterArea.Input => "input registers",
        ModbusRegisterArea.Coil => "coils",
        _ => "discrete inputs",
    };

}
