using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Writes;

/// <summary>
/// Turns a value for a tag into what goes on the wire: registers (the inverse of the tag's type,
/// byte order and scale) or a coil state. Nothing is sent from here; a value that does not fit the
/// tag gets the reason, so an operator sees "300 does not fit int16 after scale 0.1" rather than a
/// device exception.
/// </summary>
internal static class TagWriteEncoding
{
    /// <summary>The coil state for <paramref name="value"/>: a flag, or the integer or number 0 or 1.</summary>
    public static bool TryCoil(TagValue value, out bool on, out string? problem)
    {
        problem = null;
        on = false;
        switch (value.Kind)
        {
            case TagValueKind.Flag:
                on = value.AsFlag();
                return true;
            case TagValueKind.Integer or TagValueKind.Number when value.AsDouble() is 0 or 1:
                on = value.AsDouble() == 1;
                return true;
            default:
                problem = $"{Describe(value)} is not a coil state (true/false or 0/1)";
                return false;
        }
    }

    /// <summary>
    /// Encodes <paramref name="value"/> into the <see cref="ModbusTagConfig.Width"/> registers of
    /// <paramref name="tag"/>. A bit-in-register tag changes only its bit of <paramref name="registers"/>,
    /// which must hold the register as last read.
    /// </summary>
    public static bool TryRegisters(ModbusTagConfig tag, TagValue value, Span<ushort> registers, out string? problem)
    {
        problem = null;
        if (tag.DataType == ModbusDataType.String)
        {
            if (value.Kind != TagValueKind.Text || !RegisterText.TryEncode(value.AsText()!, tag.ByteOrder, registers))
            {
                problem = value.Kind != TagValueKind.Text
                    ? $"{Describe(value)} is not text"
                    : $"'{value.AsText()}' does not fit {tag.Length} registers ({2 * tag.Length} Latin-1 characters, no NUL)";
                return false;
            }

            return true;
        }

        if (tag.DataType == ModbusDataType.Bool)
        {
            if (!TryCoil(value, out var on, out problem))
            {
                return false;
            }

            return RegisterEncoder.TryEncodeRaw(on ? 1 : 0, ModbusDataType.Bool, tag.ByteOrder, registers, tag.Bit ?? 0);
        }

        if (value.Kind == TagValueKind.Integer && tag.Scale == 1 && tag.Offset == 0
            && (tag.DataType == ModbusDataType.Int64 || (tag.DataType == ModbusDataType.UInt64 && value.AsInteger() >= 0)))
        {
            // Exact: a double would round integers above 2^53.
            RegisterWords.From64(unchecked((ulong)value.AsInteger()), tag.ByteOrder, registers);
            return true;
        }

        if (value.Kind is not (TagValueKind.Number or TagValueKind.Integer or TagValueKind.Flag))
        {
            problem = $"{Describe(value)} is not a number";
            return false;
        }

        if (!RegisterEncoder.TryEncode(value.AsDouble(), tag, registers))
        {
            problem = $"{value} does not fit {tag.DataType.ToString().ToLowerInvariant()}"
                + (tag.Scale != 1 || tag.Offset != 0 ? $" after scale {tag.Scale} and offset {tag.Offset}" : "");
            return false;
        }

        return true;
    }

    private static string Describe(TagValue value) => value.Kind switch
    {
        TagValueKind.Text => $"text '{value.AsText()}'",
        TagValueKind.None => "no value",
        _ => value.ToString(),
    };
}
