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
    };

    private static List<ModbusTagConfig> ReadModbusTags(JsonObjectReader device)
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

            var parsed = ReadModbusTag(tag, names);
            if (parsed is not null)
            {
                tags.Add(parsed);
                readers.Add(tag);
            }
        }

        CheckOverlaps(tags, readers);
        return tags;
    }

    private static ModbusTagConfig? ReadModbusTag(JsonObjectReader tag, HashSet<string> names)
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
        var type = tag.Enum("type", ModbusDataType.UInt16, required: true, DataTypes);
        var order = tag.Enum("byteOrder", ByteOrder.ABCD, required: false, ByteOrders);
        var scale = tag.Number("scale", 1.0, s => s == 0 ? "must not be 0" : null);
        var offset = tag.Number("offset", 0.0);
        var unit = tag.String("unit", required: false);
        byte? bit = null;
        if (type == ModbusDataType.Bool)
        {
            bit = (byte)tag.Integer("bit", 0, 15, 0, required: true);
        }
        else if (tag.Property("bit", required: false) is not null)
        {
            tag.Error(tag.At("bit"), $"only a bool tag has a bit; this tag is {type.ToString().ToLowerInvariant()}");
        }

        if (address + type.RegisterCount() - 1 > ushort.MaxValue)
        {
            tag.Error(tag.At("address"), $"a {type} at {address} runs past register 65535");
        }

        tag.RejectUnknown();

        // A tag with a broken address or type would only add confusing overlap errors.
        return tag.Errors.Count == errorsBefore ? new ModbusTagConfig(tagName, area, address, type, order, scale, offset, unit, bit) : null;
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
        var apart = a.Address + a.DataType.RegisterCount() <= b.Address || b.Address + b.DataType.RegisterCount() <= a.Address;
        if (apart)
        {
            return false;
        }

        var aBit = a.DataType == ModbusDataType.Bool;
        var bBit = b.DataType == ModbusDataType.Bool;
        return aBit && bBit ? a.Bit == b.Bit : !aBit && !bBit;
    }

    private static string Describe(ModbusTagConfig tag)
    {
        var area = tag.Area == ModbusRegisterArea.Holding ? "holding" : "input";
        var count = tag.DataType.RegisterCount();
        return tag.DataType == ModbusDataType.Bool ? $"{area} register {tag.Address} bit {tag.Bit}"
            : count == 1 ? $"{area} register {tag.Address}"
            : $"{area} registers {tag.Address}-{tag.Address + count - 1}";
    }
}
