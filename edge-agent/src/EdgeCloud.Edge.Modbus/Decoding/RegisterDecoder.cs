using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Decoding;

/// <summary>
/// Turns registers into values without allocating. Raw values are exact: integers become
/// <see cref="TagValueKind.Integer"/>, float32 becomes <see cref="TagValueKind.Number"/>. Scaling
/// (engineering = raw * scale + offset) keeps an integer exact when scale is 1 and offset 0 and
/// makes a number otherwise. Decoding fails (false) when there are too few registers or a float32
/// is NaN or infinite: such a value cannot be published, and it usually means a wrong byte order
/// or address, so the poller marks it BadConfiguration.
/// </summary>
public static class RegisterDecoder
{
    /// <summary>Decodes the raw value of <paramref name="type"/> from the first registers of <paramref name="registers"/>.</summary>
    public static bool TryDecodeRaw(ReadOnlySpan<ushort> registers, ModbusDataType type, ByteOrder order, out TagValue raw)
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
            default:
                return false;
        }
    }

    /// <summary>Decodes and scales a tag's value from the tag's own registers (starting at its address).</summary>
    public static bool TryDecode(ReadOnlySpan<ushort> registers, ModbusTagConfig tag, out TagValue value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!TryDecodeRaw(registers, tag.DataType, tag.ByteOrder, out var raw))
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
