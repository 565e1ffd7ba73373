using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The Modbus tag part of <see cref="ConfigLoader"/>: each tag, then the overlap check across a device's tags.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, ModbusDataType> DataTypes = new(StringComparer.Ordinal)
    {
        ["int16"] = ModbusDataType.Int16,
        ["uint16"] = ModbusDataType.UInt16,
        ["int32"] = ModbusDataType.Int32,
        ["uint32"] = ModbusDataType.UInt32,
        ["float32"] = ModbusDataType.Float32,
        ["int64"] = ModbusDataType.Int64,
        ["uint64"] = ModbusDataType.UInt64,
        ["float64"] = ModbusDataType.Float64,
        ["bool"] = ModbusDataType.Bool,
        ["string"] = ModbusDataType.String,
    };

    private static readonly Dictionary<string, ByteOrder> ByteOrders = new(StringComparer.Ordinal)
    {
        ["ABCD"] = ByteOrder.ABCD,
        ["CDAB"] = ByteOrder.CDAB,
        ["BADC"] = ByteOrder.BADC,
        ["DCBA"] = ByteOrder.DCBA,
    };

    private static readonly Dictionary<string, ModbusRegisterArea> Areas = new(StringComparer.Ordinal)
    {
        ["holding"] = ModbusRegisterArea.Holding,
        ["input"] = ModbusRegisterArea.Input,
        ["coil"] = ModbusRegisterArea.Coil,
        ["discrete-input"] = ModbusRegisterArea.DiscreteInput,
    };

    private static List<ModbusTagConfig> ReadModbusTags(JsonObjectReader device, IReadOnlyDictionary<string, TimeSpan> groups)
    {
        var tags = new List<ModbusTagConfig>();
        var element = device.Property("tags", required: true);
        if (element is null)
        {
            return tags;
        }

        if (element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            device.Error(device.At("tags"), "expected a non-empty array of tags");
            return tags;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var readers = new List<JsonObjectReader>();
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var tag = new JsonObjectReader(device.File, $"{device.At("tags")}[{index++}]", item, device.Errors);
            if (!tag.IsObject)
            {
                continue;
            }

            var parsed = ReadModbusTag(tag, names, groups);
            if (parsed is not null)
            {
                tags.Add(parsed);
                readers.Add(tag);
            }
        }

        CheckOverlaps(tags, readers);
        return tags;
    }

    private static ModbusTagConfig? ReadModbusTag(JsonObjectReader tag, HashSet<string> names, IReadOnlyDictionary<string, TimeSpan> groups)
    {
        var tagName = tag.String("name", required: true) ?? "";
        if (tagName.Length > 0 && !IsName(tagName))
        {
            tag.Error(tag.At("name"), $"'{tagName}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }
        else if (tagName.Length > 0 && !names.Add(tagName))
        {
            tag.Error(tag.At("name"), $"tag name '{tagName}' is used twice in this device");
        }

        var errorsBefore = tag.Errors.Count;
        var area = tag.Enum("area", ModbusRegisterArea.Holding, required: false, Areas);
        var address = (ushort)tag.Integer("address", 0, 65535, 0, required: true);

        // A coil or discrete input is one bit: its type can only be bool, so it may be left out.
        var type = tag.Enum("type", area.IsBits() ? ModbusDataType.Bool : ModbusDataType.UInt16, required: !area.IsBits(), DataTypes);
        var order = tag.Enum("byteOrder", ByteOrder.ABCD, required: false, ByteOrders);
        var scale = tag.Number("scale", 1.0, s => s == 0 ? "must not be 0" : null);
        var offset = tag.Number("offset", 0.0);
        var unit = tag.String("unit", required: false);
        var bit = ReadBitAndLength(tag, area, type, order, out var length);
        var width = area.IsBits() ? 1 : type == ModbusDataType.String ? length : type.RegisterCount();
        if (address + width - 1 > ushort.MaxValue)
        {
            tag.Error(tag.At("address"), $"a {type} at {address} runs past {(area.IsBits() ? "address" : "register")} 65535");
        }

        var writable = ReadWritable(tag, area);
        var group = tag.String("group", required: false);
        if (group is not null && !groups.ContainsKey(group))
        {
            tag.Error(tag.At("group"), $"group '{group}' is not defined in pollGroups{(groups.Count == 0 ? " (there is none)" : $" (defined: {string.Join(", ", groups.Keys)})")}");
        }

        tag.RejectUnknown();

        // A tag with a broken address or type would only add confusing overlap errors.
        return tag.Errors.Count == errorsBefore ? new ModbusTagConfig(tagName, area, address, type, order, scale, offset, unit, bit, length, writable, group) : null;
    }

    /// <summary><c>"writable": true</c> lets writes change the tag; the read-only tables cannot be written by any Modbus function.</summary>
    private static bool ReadWritable(JsonObjectReader tag, ModbusRegisterArea area)
    {
        var element = tag.Property("writable", required: false);
        if (element is null)
        {
            return false;
        }

        if (element.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            tag.Error(tag.At("writable"), $"expected true or false, found {JsonObjectReader.Describe(element.Value)}");
            return false;
        }

        var writable = element.Value.GetBoolean();
        if (writable && area is ModbusRegisterArea.Input or ModbusRegisterArea.DiscreteInput)
        {
            tag.Error(tag.At("writable"), $"{(area == ModbusRegisterArea.Input ? "input registers" : "discrete inputs")} are read-only in Modbus; only holding registers and coils can be written");
        }

        return writable;
    }

    /// <summary>
    /// The fields that only some tags have: a register bit for a bool in a register, a length for a
    /// string. A bit table holds nothing but bools, and a string has no scale or 32-bit word order.
    /// </summary>
    private static byte? ReadBitAndLength(JsonObjectReader tag, ModbusRegisterArea area, ModbusDataType type, ByteOrder order, out int length)
    {
        length = 0;
        byte? bit = null;
        if (area.IsBits())
        {
            if (type != ModbusDataType.Bool)
            {
                tag.Error(tag.At("type"), $"a {(area == ModbusRegisterArea.Coil ? "coil" : "discrete input")} is one bit: its type is bool, not {type.ToString().ToLowerInvariant()}");
            }

            foreach (var field in new[] { "bit", "byteOrder", "scale", "offset" })
            {
                if (tag.Property(field, required: false) is not null)
                {
                    tag.Error(tag.At(field), $"a {(area == ModbusRegisterArea.Coil ? "coil" : "discrete input")} is one bit and has no {field}");
                }
            }
        }
        else if (type == ModbusDataType.Bool)
        {
            bit = (byte)tag.Integer("bit", 0, 15, 0, required: true);
        }
        else if (tag.Property("bit", required: false) is not null)
        {
            tag.Error(tag.At("bit"), $"only a bool tag has a bit; this tag is {type.ToString().ToLowerInvariant()}");
        }

        if (type == ModbusDataType.String)
        {
            length = (int)tag.Integer("length", 1, 125, 1, required: true);
            if (order is ByteOrder.CDAB or ByteOrder.DCBA)
            {
                tag.Error(tag.At("byteOrder"), "a string's byte order is ABCD (first character in the high byte) or BADC (in the low byte)");
            }

            if (tag.Has("scale") || tag.Has("offset"))
            {
                tag.Error(tag.At(tag.Has("scale") ? "scale" : "offset"), "a string is not scaled");
            }
        }
        else if (tag.Property("length", required: false) is not null)
        {
            tag.Error(tag.At("length"), $"only a string tag has a length; this tag is {type.ToString().ToLowerInvariant()}");
        }

        return bit;
    }

    /// <summary>
    /// Refuses two tags that claim the same register: one of them is almost always a typo, and the
    /// device cannot hold two values there. Bit tags are exempt unless they name the same bit: a
    /// status word read both whole and bit by bit is normal.
    /// </summary>
    private static void CheckOverlaps(List<ModbusTagConfig> tags, List<JsonObjectReader> readers)
    {
        for (var j = 1; j < tags.Count; j++)
        {
            var b = tags[j];
            for (var i = 0; i < j; i++)
            {
                var a = tags[i];
                if (a.Area != b.Area || !Overlap(a, b))
                {
                    continue;
                }

                readers[j].Error(
                    readers[j].At("address"),
                    $"{Describe(b)} overlaps tag '{a.Name}' ({readers[i].Path}, {Describe(a)})");
                break;
            }
        }
    }

    private static bool Overlap(ModbusTagConfig a, ModbusTagConfig b)
    {
        var apart = a.Address + a.Width <= b.Address || b.Address + b.Width <= a.Address;
        if (apart)
        {
            return false;
        }

        if (a.Area.IsBits())
        {
            return true;
        }

        var aBit = a.DataType == ModbusDataType.Bool;
        var bBit = b.DataType == ModbusDataType.Bool;
        return aBit && bBit ? a.Bit == b.Bit : !aBit && !bBit;
    }

    private static string Describe(ModbusTagConfig tag)
    {
        if (tag.Area.IsBits())
        {
            return $"{(tag.Area == ModbusRegisterArea.Coil ? "coil" : "discrete input")} {tag.Address}";
        }

        var area = tag.Area == ModbusRegisterArea.Holding ? "holding" : "input";
        var count = tag.Width;
        return tag.DataType == ModbusDataType.Bool ? $"{area} register {tag.Address} bit {tag.Bit}"
            : count == 1 ? $"{area} register {tag.Address}"
            : $"{area} registers {tag.Address}-{tag.Address + count - 1}";
    }
}
