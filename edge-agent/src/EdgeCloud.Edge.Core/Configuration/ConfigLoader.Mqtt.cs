using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The MQTT device part of <see cref="ConfigLoader"/>: the broker connection and the subscriptions.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, MqttValueKind> MqttValueKinds = new(StringComparer.Ordinal)
    {
        ["number"] = MqttValueKind.Number,
        ["integer"] = MqttValueKind.Integer,
        ["bool"] = MqttValueKind.Bool,
        ["text"] = MqttValueKind.Text,
        ["auto"] = MqttValueKind.Auto,
    };

    private static readonly Dictionary<string, MqttTimestampFormat> MqttTimestampFormats = new(StringComparer.Ordinal)
    {
        ["iso8601"] = MqttTimestampFormat.Iso8601,
        ["epoch-ms"] = MqttTimestampFormat.EpochMilliseconds,
        ["epoch-s"] = MqttTimestampFormat.EpochSeconds,
    };

    private static MqttDeviceConfig ReadMqttDevice(JsonObjectReader device, string name)
    {
        var connection = ReadMqttConnection(device, hostFallback: null, portFallback: 1883, persistentByDefault: true);
        var subscriptions = new List<MqttSubscriptionConfig>();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in MqttArray(device, "subscriptions", required: true))
        {
            var format = item.String("format", required: false, fallback: "json");
            MqttSubscriptionConfig? parsed = format switch
            {
                "json" => ReadMqttJsonSubscription(item, tagNames),
                "sparkplug" => ReadMqttSparkplugSubscription(item, tagNames),
                _ => MqttUnknownFormat(item, format!),
            };
            item.RejectUnknown();
            if (parsed is not null)
            {
                subscriptions.Add(parsed);
            }
        }

        return new MqttDeviceConfig(name, connection, subscriptions);
    }

    private static MqttSubscriptionConfig? MqttUnknownFormat(JsonObjectReader item, string format)
    {
        item.Error(item.At("format"), $"unknown format '{format}' (expected one of: json, sparkplug)");
        return null;
    }

    private static MqttJsonSubscriptionConfig ReadMqttJsonSubscription(JsonObjectReader item, HashSet<string> tagNames)
    {
        var topic = item.String("topic", required: true) ?? "";
        if (topic.Length > 0 && MqttTopicFilterProblem(topic) is { } problem)
        {
            item.Error(item.At("topic"), $"'{topic}' is not a topic filter: {problem}");
        }

        var qos = (int)item.Integer("qos", 0, 2, 1);
        MqttJsonTimestampConfig? timestamp = null;
        if (item.Property("timestamp", required: false) is { } tsElement)
        {
            var ts = new JsonObjectReader(item.File, item.At("timestamp"), tsElement, item.Errors);
            var pointer = MqttPointer(ts, "pointer", required: true);
            var format = ts.Enum("format", MqttTimestampFormat.Iso8601, required: false, MqttTimestampFormats);
            ts.RejectUnknown();
            timestamp = new MqttJsonTimestampConfig(pointer, format);
        }

        var tags = new List<MqttJsonTagConfig>();
        foreach (var tag in MqttArray(item, "tags", required: true))
        {
            var tagName = MqttTagName(tag, tagNames);
            var pointer = MqttPointer(tag, "pointer", required: true);
            var kind = tag.Enum("type", MqttValueKind.Number, required: false, MqttValueKinds);
            tag.RejectUnknown();
            tags.Add(new MqttJsonTagConfig(tagName, pointer, kind));
        }

        return new MqttJsonSubscriptionConfig(topic, qos, timestamp, tags, item.Path);
    }

    private static MqttSparkplugSubscriptionConfig ReadMqttSparkplugSubscription(JsonObjectReader item, HashSet<string> tagNames)
    {
        var group = MqttTopicLevel(item, "groupId", required: true)!;
        var node = MqttTopicLevel(item, "edgeNode", required: true)!;
        var qos = (int)item.Integer("qos", 0, 1, 1);
        var tags = new List<MqttSparkplugTagConfig>();
        foreach (var tag in MqttArray(item, "tags", required: true))
        {
            var tagName = MqttTagName(tag, tagNames);
            var metric = tag.String("metric", required: true) ?? "";
            var sparkplugDevice = MqttTopicLevel(tag, "device", required: false);
            tag.RejectUnknown();
            tags.Add(new MqttSparkplugTagConfig(tagName, metric, sparkplugDevice));
        }

        return new MqttSparkplugSubscriptionConfig(group, node, qos, tags, item.Path);
    }

    private static string MqttTagName(JsonObjectReader tag, HashSet<string> names)
    {
        var name = tag.String("name", required: true) ?? "";
        if (name.Length > 0 && !IsName(name))
        {
            tag.Error(tag.At("name"), $"'{name}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }
        else if (name.Length > 0 && !names.Add(name))
        {
            tag.Error(tag.At("name"), $"tag name '{name}' is used twice in this device");
        }

        return name;
    }

    /// <summary>A JSON pointer (RFC 6901): empty, or '/'-separated tokens where '~' is only followed by 0 or 1.</summary>
    private static string MqttPointer(JsonObjectReader reader, string name, bool required)
    {
        var pointer = reader.Property(name, required) is { ValueKind: JsonValueKind.String } element ? element.GetString()! : null;
        if (pointer is null)
        {
            if (reader.Has(name))
            {
                reader.String(name, required);
            }

            return "";
        }

        var badEscape = pointer.Select((c, i) => c == '~' && (i + 1 >= pointer.Length || pointer[i + 1] is not ('0' or '1'))).Any(b => b);
        if ((pointer.Length > 0 && pointer[0] != '/') || badEscape)
        {
            reader.Error(reader.At(name), $"'{pointer}' is not a JSON pointer (RFC 6901: '' or '/a/b/0', with '~0' for '~' and '~1' for '/')");
        }

        return pointer;
    }

    /// <summary>One topic level used to build a filter: no '/', '+' or '#'.</summary>
    private static string? MqttTopicLevel(JsonObjectReader reader, string name, bool required)
    {
        var level = reader.String(name, required);
        if (level is not null && (level.Length == 0 || level.IndexOfAny(['/', '+', '#']) >= 0))
        {
            reader.Error(reader.At(name), $"'{level}' must be one non-empty topic level (no '/', '+' or '#')");
        }

        return level;
    }

    /// <summary>Why a topic filter is malformed (MQTT 5, 4.7.1), or null.</summary>
    private static string? MqttTopicFilterProblem(string filter)
    {
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                return "'#' must be a whole level and the last one";
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                return "'+' must be a whole level";
            }
        }

        return null;
    }

    private static List<JsonObjectReader> MqttArray(JsonObjectReader owner, string name, bool required)
    {
        var result = new List<JsonObjectReader>();
        var element = owner.Property(name, required);
        if (element is null)
        {
            return result;
        }

        if (element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            owner.Error(owner.At(name), $"expected a non-empty array, found {JsonObjectReader.Describe(element.Value)}");
            return result;
        }

        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var reader = new JsonObjectReader(owner.File, $"{owner.At(name)}[{index++}]", item, owner.Errors);
            if (reader.IsObject)
            {
                result.Add(reader);
            }
        }

        return result;
    }

    private static bool MqttBool(JsonObjectReader reader, string name, bool fallback)
    {
        var element = reader.Property(name, required: false);
        if (element is null)
        {
            return fallback;
        }

        if (element.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            reader.Error(reader.At(name), $"expected true or false, found {JsonObjectReader.Describe(element.Value)}");
            return fallback;
        }

        return element.Value.GetBoolean();
    }
}
