using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The serial-line sensor part of <see cref="ConfigLoader"/>.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, SerialLineFormat> LineFormats = new(StringComparer.Ordinal)
    {
        ["delimited"] = SerialLineFormat.Delimited,
        ["regex"] = SerialLineFormat.Regex,
        ["fixed"] = SerialLineFormat.Fixed,
    };

    private static readonly Dictionary<string, SerialLineFieldType> FieldTypes = new(StringComparer.Ordinal)
    {
        ["number"] = SerialLineFieldType.Number,
        ["integer"] = SerialLineFieldType.Integer,
        ["text"] = SerialLineFieldType.Text,
        ["flag"] = SerialLineFieldType.Flag,
    };

    private static SerialLineDeviceConfig ReadSerialLine(JsonObjectReader device, string name)
    {
        var port = device.String("port", required: true) ?? "";
        if (port.Length > 0 && !port.StartsWith('/'))
        {
            device.Error(device.At("port"), $"'{port}' is not a device path (for example /dev/ttyUSB0 or /dev/serial/by-id/...)");
        }

        var baud = (int)device.Integer("baudRate", 1, 4_000_000, 9600);
        if (Array.IndexOf(BaudRates, baud) < 0)
        {
            device.Error(device.At("baudRate"), $"{baud} is not a standard rate (expected one of: {string.Join(", ", BaudRates)})");
        }

        // ASCII instruments mostly default to 9600 8N1, unlike Modbus RTU's 19200 8E1.
        var parity = device.Enum("parity", SerialParity.None, required: false, Parities);
        var dataBits = (int)device.Integer("dataBits", 7, 8, 8);
        var stopBits = (int)device.Integer("stopBits", 1, 2, 1);
        var lineEnd = device.String("lineEnd", required: false, "\n")!;
        if (lineEnd.Length is 0 or > 4)
        {
            device.Error(device.At("lineEnd"), "expected 1-4 characters, for example \"\\n\" or \"\\r\\n\"");
        }

        var prefix = device.String("linePrefix", required: false);
        var format = device.Enum("format", SerialLineFormat.Delimited, required: true, LineFormats);
        var delimiter = device.String("delimiter", required: false, ",")!;
        if (format == SerialLineFormat.Delimited && delimiter.Length == 0)
        {
            device.Error(device.At("delimiter"), "must not be empty");
        }

        var pattern = device.String("pattern", required: format == SerialLineFormat.Regex);
        Regex? regex = null;
        if (format == SerialLineFormat.Regex && pattern is not null)
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                device.Error(device.At("pattern"), $"not a valid regular expression: {ex.Message}");
            }
        }

        var fields = ReadLineFields(device, format, regex);
        return new SerialLineDeviceConfig(name, new SerialLineConfig(port, baud, parity, dataBits, stopBits), lineEnd, prefix, format, delimiter, pattern, fields);
    }

    private static List<SerialLineFieldConfig> ReadLineFields(JsonObjectReader device, SerialLineFormat format, Regex? regex)
    {
        var fields = new List<SerialLineFieldConfig>();
        var element = device.Property("fields", required: true);
        if (element is null)
        {
            return fields;
        }

        if (element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            device.Error(device.At("fields"), "expected a non-empty array of fields");
            return fields;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var field = new JsonObjectReader(device.File, $"{device.At("fields")}[{index++}]", item, device.Errors);
            if (!field.IsObject)
            {
                continue;
            }

            var tag = field.String("tag", required: true) ?? "";
            if (tag.Length > 0 && (!IsName(tag) || !names.Add(tag)))
            {
                field.Error(field.At("tag"), IsName(tag) ? $"tag name '{tag}' is used twice in this device" : $"'{tag}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
            }

            var type = field.Enum("type", SerialLineFieldType.Number, required: false, FieldTypes);
            int? position = format == SerialLineFormat.Delimited ? (int)field.Integer("index", 0, 1000, 0, required: true) : null;
            var group = format == SerialLineFormat.Regex ? field.String("group", required: true) : null;
            if (group is not null && regex is not null && regex.GroupNumberFromName(group) < 0)
            {
                field.Error(field.At("group"), $"the pattern has no group named '{group}' (it has: {string.Join(", ", regex.GetGroupNames().Where(g => !int.TryParse(g, out _)))})");
            }

            int? start = format == SerialLineFormat.Fixed ? (int)field.Integer("start", 0, 4096, 0, required: true) : null;
            int? length = format == SerialLineFormat.Fixed ? (int)field.Integer("length", 1, 4096, 1, required: true) : null;
            var scale = field.Number("scale", 1.0, s => s == 0 ? "must not be 0" : null);
            var offset = field.Number("offset", 0.0);
            var unit = field.String("unit", required: false);
            field.RejectUnknown();
            fields.Add(new SerialLineFieldConfig(tag, type, position, group, start, length, scale, offset, unit));
        }

        return fields;
    }
}
