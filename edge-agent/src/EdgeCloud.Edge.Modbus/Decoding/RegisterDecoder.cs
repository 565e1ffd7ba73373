using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Decoding;

/// <summary>
/// Turns registers into values without allocating. Raw values are exact: integers become
/// <see cref="TagValueKind.Integer"/> (a uint64 above 2^63 - 1 becomes a Number, the nearest
/// double, since an Integer is 64-bit signed), float32 and float64 become
/// <see cref="TagValueKind.Number"/>, a register bit becomes <see cref="TagValueKind.Flag"/>. Scaling
/// (engineering = raw * scale + offset) keeps an integer exact when scale is 1 and offset 0 and
/// makes a number otherwise; flags are never scaled. A string tag becomes
/// <see cref="TagValueKind.Text"/> (see <see cref="RegisterText"/>). Decoding fails (false) when there are too few
/// registers or a float is NaN or infinite: such a value cannot be published, and it usually means a wrong byte order
/// or address, so the poller marks it BadConfiguration.
/// </summary>
public static class RegisterDecoder
{
    /// <summary>Decodes the raw value of <paramref name="type"/> from the first registers of <paramref name="registers"/>; <paramref name="bit"/> serves <see cref="ModbusDataType.Bool"/>.</summary>
    public static bool TryDecodeRaw(ReadOnlySpan<ushort> registers, ModbusDataType type, ByteOrder order, out TagValue raw, int bit = 0)
    {
        raw = TagValue.None;
        if (registers.Length < type.RegisterCount())
        {
            return false;
        }

        switch (type)
        {
            case ModbusDataType.Int16:
                raw = TagValue.FromInteger((short)RegisterWords.To16(registers[0], order));
                return true;
            case ModbusDataType.UInt16:
                raw = TagValue.FromInteger(RegisterWords.To16(registers[0], order));
                return true;
            case ModbusDataType.Int32:
                raw = TagValue.FromInteger((int)RegisterWords.To32(registers[0], registers[1], order));
                return true;
            case ModbusDataType.UInt32:
                raw = TagValue.FromInteger(RegisterWords.To32(registers[0], registers[1], order));
                return true;
            case ModbusDataType.Float32:
                var value = BitConverter.UInt32BitsToSingle(RegisterWords.To32(registers[0], registers[1], order));
                if (!float.IsFinite(value))
                {
                    return false;
                }

                raw = TagValue.FromNumber(value);
                return true;
            case ModbusDataType.Int64:
                raw = TagValue.FromInteger((long)RegisterWords.To64(registers, order));
                return true;
            case ModbusDataType.UInt64:
                var bits = RegisterWords.To64(registers, order);
                raw = bits <= long.MaxValue ? TagValue.FromInteger((long)bits) : TagValue.FromNumber(bits);
                return true;
            case ModbusDataType.Float64:
                var wide = BitConverter.UInt64BitsToDouble(RegisterWords.To64(registers, order));
                if (!double.IsFinite(wide))
                {
                    return false;
                }

                raw = TagValue.FromNumber(wide);
                return true;
            case ModbusDataType.Bool when bit is >= 0 and < 16:
                raw = TagValue.FromFlag(((RegisterWords.To16(registers[0], order) >> bit) & 1) == 1);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Decodes and scales a tag's value from the tag's own registers (starting at its address).</summary>
    public static bool TryDecode(ReadOnlySpan<ushort> registers, ModbusTagConfig tag, out TagValue value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.DataType == ModbusDataType.String)
        {
            value = registers.Length >= tag.Length ? TagValue.FromText(RegisterText.Decode(registers[..tag.Length], tag.ByteOrder)) : TagValue.None;
            return registers.Length >= tag.Length;
        }

        if (!TryDecodeRaw(registers, tag.DataType, tag.ByteOrder, out var raw, tag.Bit ?? 0))
        {
            value = TagValue.None;
            return false;
        }

        value = Scale(raw, tag.Scale, tag.Offset);
        if (value.Kind == TagValueKind.Number && !double.IsFinite(value.AsDouble()))
        {
            value = TagValue.None;
            return false;
        }

        return true;
    }

    /// <summary>Applies <c>raw * scale + offset</c>; an integer stays an exact integer when the scaling is the identity.</summary>
    public static TagValue Scale(TagValue raw, double scale, double offset)
    {
        if (raw.Kind == TagValueKind.Integer && scale == 1.0 && offset == 0.0)
        {
            return raw;
        }

        return raw.Kind is TagValueKind.Integer or TagValueKind.Number
            ? TagValue.FromNumber((raw.AsDouble() * scale) + offset)
            : raw;
    }
}
