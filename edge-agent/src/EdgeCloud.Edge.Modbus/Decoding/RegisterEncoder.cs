using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Decoding;

/// <summary>
/// The inverse of <see cref="RegisterDecoder"/>: values to registers, without allocating. Used by
/// the simulator, by tests and later by tag writes. Integer types take only integral raw values in
/// their range; engineering values are unscaled ((value - offset) / scale) and rounded half away
/// from zero first.
/// </summary>
public static class RegisterEncoder
{
    /// <summary>
    /// Writes <paramref name="raw"/> as <paramref name="type"/> in <paramref name="order"/> into the
    /// first registers of <paramref name="destination"/>. False when the value does not fit the type
    /// (out of range, not integral for an integer type, not finite) or the destination is too short.
    /// A <see cref="ModbusDataType.Bool"/> (raw 0 or 1) sets or clears <paramref name="bit"/> of
    /// <c>destination[0]</c> and leaves its other bits as they were.
    /// </summary>
    public static bool TryEncodeRaw(double raw, ModbusDataType type, ByteOrder order, Span<ushort> destination, int bit = 0)
    {
        if (destination.Length < type.RegisterCount() || !double.IsFinite(raw))
        {
            return false;
        }

        if (type is not ModbusDataType.Float32 and not ModbusDataType.Float64 && raw != Math.Floor(raw))
        {
            return false;
        }

        switch (type)
        {
            case ModbusDataType.Int16 when raw is >= short.MinValue and <= short.MaxValue:
                destination[0] = RegisterWords.From16(unchecked((ushort)(short)raw), order);
                return true;
            case ModbusDataType.UInt16 when raw is >= ushort.MinValue and <= ushort.MaxValue:
                destination[0] = RegisterWords.From16((ushort)raw, order);
                return true;
            case ModbusDataType.Int32 when raw is >= int.MinValue and <= int.MaxValue:
                RegisterWords.From32(unchecked((uint)(int)raw), order, destination);
                return true;
            case ModbusDataType.UInt32 when raw is >= uint.MinValue and <= uint.MaxValue:
                RegisterWords.From32((uint)raw, order, destination);
                return true;
            case ModbusDataType.Float32 when Math.Abs(raw) <= float.MaxValue:
                RegisterWords.From32(BitConverter.SingleToUInt32Bits((float)raw), order, destination);
                return true;

            // 2^63 and 2^64 are exact doubles just past the ranges; comparing with them avoids the
            // rounding of long.MaxValue and ulong.MaxValue to those same doubles.
            case ModbusDataType.Int64 when raw >= -9223372036854775808.0 && raw < 9223372036854775808.0:
                RegisterWords.From64(unchecked((ulong)(long)raw), order, destination);
                return true;
            case ModbusDataType.UInt64 when raw >= 0 && raw < 18446744073709551616.0:
                RegisterWords.From64((ulong)raw, order, destination);
                return true;
            case ModbusDataType.Float64:
                RegisterWords.From64(BitConverter.DoubleToUInt64Bits(raw), order, destination);
                return true;
            case ModbusDataType.Bool when raw is 0 or 1 && bit is >= 0 and < 16:
                var value = RegisterWords.To16(destination[0], order);
                value = raw == 1 ? (ushort)(value | (1 << bit)) : (ushort)(value & ~(1 << bit));
                destination[0] = RegisterWords.From16(value, order);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes an engineering value for <paramref name="tag"/>: unscales it, rounds it for integer types, encodes it.</summary>
    public static bool TryEncode(double engineering, ModbusTagConfig tag, Span<ushort> destination)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var raw = (engineering - tag.Offset) / tag.Scale;
        if (tag.DataType == ModbusDataType.Bool)
        {
            // A flag is not scaled.
            return TryEncodeRaw(engineering, tag.DataType, tag.ByteOrder, destination, tag.Bit ?? 0);
        }

        if (tag.DataType is not ModbusDataType.Float32 and not ModbusDataType.Float64)
        {
            raw = Math.Round(raw, MidpointRounding.AwayFromZero);
        }

        return TryEncodeRaw(raw, tag.DataType, tag.ByteOrder, destination);
    }
}
