using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;

namespace EdgeCloud.Edge.Modbus.Writes;

/// <summary>
/// One tag write through a master, and its read-back: the value is encoded per the tag's type,
/// order and scale; one coil goes out with function 5, one register with 6, more registers with 16
/// (a device that implements only 16 answers 6 with IllegalFunction, and the write is retried with 16);
/// then the tag's registers or coil are read again and compared raw, so a device that clamps or
/// ignores a value shows as <see cref="TagWriteStatus.ReadBackMismatch"/>. A bit-in-register tag is a
/// read-modify-write of its register (another bit changed by the device between the two is
/// overwritten: the Modbus protocol has no masked write this agent can count on). Never throws for a
/// device failure.
/// </summary>
internal static class ModbusTagWrite
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="tag"/> of unit <paramref name="unitId"/> and reads it back.</summary>
    public static async ValueTask<TagWriteResult> WriteAsync(
        IModbusMaster master, string device, byte unitId, ModbusTagConfig tag, TagValue value, CancellationToken cancellationToken)
    {
        var name = $"{device}/{tag.Name}";
        if (!tag.Writable || tag.Area is ModbusRegisterArea.Input or ModbusRegisterArea.DiscreteInput)
        {
            var why = tag.Writable ? $"{(tag.Area == ModbusRegisterArea.Input ? "input registers" : "discrete inputs")} are read-only" : "the tag is not marked \"writable\": true";
            return new TagWriteResult(TagWriteStatus.NotWritable, TagValue.None, $"{name}: {why}");
        }

        try
        {
            return tag.Area == ModbusRegisterArea.Coil
                ? await WriteCoilAsync(master, name, unitId, tag, value, cancellationToken)
                : await WriteRegistersAsync(master, name, unitId, tag, value, cancellationToken);
        }
        catch (ModbusException ex)
        {
            return new TagWriteResult(TagWriteStatus.DeviceError, TagValue.None, $"{name}: the device answered exception {(byte)ex.ExceptionCode:X2} ({ex.ExceptionCode}) to function {(byte)ex.FunctionCode:X2}");
        }
        catch (Exception ex) when (ex is ModbusTimeoutException or ModbusTransportException or ModbusProtocolException or ModbusCorruptFrameException)
        {
            return new TagWriteResult(TagWriteStatus.DeviceError, TagValue.None, $"{name}: {ex.Message}");
        }
    }

    private static async ValueTask<TagWriteResult> WriteCoilAsync(
        IModbusMaster master, string name, byte unitId, ModbusTagConfig tag, TagValue value, CancellationToken cancellationToken)
    {
        if (!TagWriteEncoding.TryCoil(value, out var on, out var problem))
        {
            return new TagWriteResult(TagWriteStatus.InvalidValue, TagValue.None, $"{name}: {problem}");
        }

        await master.WriteSingleCoilAsync(unitId, tag.Address, on, cancellationToken);
        var back = new bool[1];
        await master.ReadCoilsAsync(unitId, tag.Address, back, cancellationToken);
        return Outcome(name, on == back[0], TagValue.FromFlag(on), TagValue.FromFlag(back[0]));
    }

    private static async ValueTask<TagWriteResult> WriteRegistersAsync(
        IModbusMaster master, string name, byte unitId, ModbusTagConfig tag, TagValue value, CancellationToken cancellationToken)
    {
        var registers = new ushort[tag.Width];
        if (tag.DataType == ModbusDataType.Bool)
        {
            // Only this tag's bit may change: start from the register as the device holds it now.
            await master.ReadRegistersAsync(tag.Area, unitId, tag.Address, registers, cancellationToken);
        }

        if (!TagWriteEncoding.TryRegisters(tag, value, registers, out var problem))
        {
            return new TagWriteResult(TagWriteStatus.InvalidValue, TagValue.None, $"{name}: {problem}");
        }

        if (registers.Length == 1)
        {
            try
            {
                await master.WriteSingleRegisterAsync(unitId, tag.Address, registers[0], cancellationToken);
            }
            catch (ModbusException ex) when (ex.ExceptionCode == ModbusExceptionCode.IllegalFunction)
            {
                await master.WriteMultipleRegistersAsync(unitId, tag.Address, registers, cancellationToken);
            }
        }
        else
        {
            await master.WriteMultipleRegistersAsync(unitId, tag.Address, registers, cancellationToken);
        }

        var back = new ushort[registers.Length];
        await master.ReadRegistersAsync(tag.Area, unitId, tag.Address, back, cancellationToken);
        RegisterDecoder.TryDecode(back, tag, out var readBack);
        RegisterDecoder.TryDecode(registers, tag, out var written);
        var same = tag.DataType == ModbusDataType.Bool
            ? ((back[0] ^ registers[0]) & RegisterWords.From16((ushort)(1 << tag.Bit!.Value), tag.ByteOrder)) == 0
            : back.AsSpan().SequenceEqual(registers);
        return Outcome(name, same, written, readBack);
    }

    private static TagWriteResult Outcome(string name, bool same, TagValue written, TagValue readBack) => same
        ? new TagWriteResult(TagWriteStatus.Confirmed, readBack, $"{name}: wrote {Show(written)}, read back {Show(readBack)}")
        : new TagWriteResult(TagWriteStatus.ReadBackMismatch, readBack, $"{name}: wrote {Show(written)} but read back {Show(readBack)} (the device clamped, rejected or overwrote it)");

    // 15 significant digits: a scaled register (234 x 0.1) reads 23.4 to an operator, not 23.400000000000002.
    private static string Show(TagValue value) =>
        value.Kind == TagValueKind.Number ? value.AsDouble().ToString("G15", System.Globalization.CultureInfo.InvariantCulture) : value.ToString();
}
