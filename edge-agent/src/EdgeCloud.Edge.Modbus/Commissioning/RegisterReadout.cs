using System.Globalization;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// Prints a block of registers in every decoding the agent knows, side by side, so a commissioning
/// engineer can spot the type and byte order that give the value the device's display shows.
/// Values come from <see cref="RegisterDecoder"/>, so what is printed is exactly what a tag with
/// that type and order would publish (unscaled); "-" marks a value the agent would refuse (a NaN
/// or infinite float). Multi-register values are shown at every start address of the block.
/// </summary>
public static class RegisterReadout
{
    private static readonly ByteOrder[] Orders = [ByteOrder.ABCD, ByteOrder.CDAB, ByteOrder.BADC, ByteOrder.DCBA];

    /// <summary>Writes the readout of <paramref name="registers"/> read from <paramref name="startAddress"/> on.</summary>
    public static void Write(TextWriter writer, ushort startAddress, ReadOnlySpan<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("16-bit registers (BADC/DCBA = bytes swapped inside the register):");
        writer.WriteLine($"{"address",7}  {"hex",6}  {"bits 15..0",19}  {"uint16",6}  {"int16",6}  {"swapped uint16",14}  {"swapped int16",13}");
        for (var i = 0; i < registers.Length; i++)
        {
            var r = registers[i];
            var swapped = (ushort)((r >> 8) | (r << 8));
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{startAddress + i,7}  0x{r:X4}  {Bits(r),19}  {r,6}  {(short)r,6}  {swapped,14}  {(short)swapped,13}"));
        }

        if (registers.Length >= 2)
        {
            writer.WriteLine();
            writer.WriteLine("32-bit values starting at each register:");
            writer.WriteLine($"{"address",7}  {"order",5}  {"int32",12}  {"uint32",11}  {"float32",16}");
            WriteWide(writer, startAddress, registers, 2, (regs, order) =>
                $"{Format(regs, ModbusDataType.Int32, order),12}  {Format(regs, ModbusDataType.UInt32, order),11}  {Format(regs, ModbusDataType.Float32, order),16}");
        }

        if (registers.Length >= 4)
        {
            writer.WriteLine();
            writer.WriteLine("64-bit values starting at each register (CDAB/DCBA = least significant register first):");
            writer.WriteLine($"{"address",7}  {"order",5}  {"int64",21}  {"uint64",21}  {"float64",24}");
            WriteWide(writer, startAddress, registers, 4, (regs, order) =>
                $"{Format(regs, ModbusDataType.Int64, order),21}  {Format(regs, ModbusDataType.UInt64, order),21}  {Format(regs, ModbusDataType.Float64, order),24}");
        }

        writer.WriteLine();
        writer.WriteLine("The block as a string (up to the first NUL, trimmed):");
        writer.WriteLine($"   ABCD  \"{Printable(RegisterText.Decode(registers, ByteOrder.ABCD))}\"");
        writer.WriteLine($"   BADC  \"{Printable(RegisterText.Decode(registers, ByteOrder.BADC))}\"");
    }

    // Control characters would garble the terminal; a dot keeps the columns readable.
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '.' : c));

    /// <summary>Writes coils or discrete inputs read from <paramref name="startAddress"/> on, 8 to a line, with their addresses.</summary>
    public static void WriteBits(TextWriter writer, ushort startAddress, ReadOnlySpan<bool> bits)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("bits (1 = on):");
        for (var i = 0; i < bits.Length; i += 8)
        {
            var line = new System.Text.StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{startAddress + i,7}  ");
            for (var j = i; j < Math.Min(i + 8, bits.Length); j++)
            {
                line.Append(bits[j] ? " 1" : " 0");
            }

            writer.WriteLine(line.ToString());
        }
    }

    /// <summary>One decoding as text, or "-" when the agent would refuse it.</summary>
    public static string Format(ReadOnlySpan<ushort> registers, ModbusDataType type, ByteOrder order)
    {
        if (!RegisterDecoder.TryDecodeRaw(registers, type, order, out var value))
        {
            return "-";
        }

        return value.Kind switch
        {
            TagValueKind.Integer => value.AsInteger().ToString(CultureInfo.InvariantCulture),
            // Shortest text that round-trips: 123.456 for the float32 nearest 123.456, not 123.456001.
            TagValueKind.Number when type == ModbusDataType.Float32 => ((float)value.AsDouble()).ToString(CultureInfo.InvariantCulture),
            TagValueKind.Number => value.AsDouble().ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    private delegate string Columns(ReadOnlySpan<ushort> registers, ByteOrder order);

    private static void WriteWide(TextWriter writer, ushort startAddress, ReadOnlySpan<ushort> registers, int width, Columns columns)
    {
        for (var i = 0; i + width <= registers.Length; i++)
        {
            foreach (var order in Orders)
            {
                var address = order == ByteOrder.ABCD ? (startAddress + i).ToString(CultureInfo.InvariantCulture) : "";
                writer.WriteLine($"{address,7}  {order,5}  {columns(registers.Slice(i, width), order)}");
            }
        }
    }

    private static string Bits(ushort r)
    {
        var text = Convert.ToString(r, 2).PadLeft(16, '0');
        return $"{text[..4]} {text[4..8]} {text[8..12]} {text[12..]}";
    }
}
