using System.Text.Json;
using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The <c>rules</c> part of <see cref="ConfigLoader"/>: the section, each rule, and the check that
/// every tag a rule reads or writes exists (a typo in a tag name must not make a rule that never fires).
/// </summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, RuleKind> RuleKinds = new(StringComparer.Ordinal)
    {
        ["threshold"] = RuleKind.Threshold,
        ["range"] = RuleKind.Range,
        ["rateOfChange"] = RuleKind.RateOfChange,
        ["stale"] = RuleKind.Stale,
        ["quality"] = RuleKind.Quality,
        ["expression"] = RuleKind.Expression,
        ["zscore"] = RuleKind.ZScore,
        ["iqr"] = RuleKind.Iqr,
    };

    private static RulesConfig? ReadRules(JsonObjectReader owner, IReadOnlyList<DeviceConfig> devices)
    {
        var section = Child(owner, "rules", required: false);
        if (section is null || !section.IsObject)
        {
            return null;
        }

        var derivedDevice = section.String("derivedDevice", required: false, fallback: RulesConfig.DefaultDerivedDevice)!;
        if (!IsName(derivedDevice))
        {
            section.Error(section.At("derivedDevice"), $"'{derivedDevice}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }
        else if (devices.Any(d => d.Name == derivedDevice))
        {
            section.Error(section.At("derivedDevice"), $"'{derivedDevice}' is a configured device; derived tags need a device name of their own");
        }

        var deviceTags = DeviceTags(devices);
        var mqttPublish = owner.Property("mqtt", required: false) is { ValueKind: JsonValueKind.Object } mqtt
            && mqtt.TryGetProperty("publish", out var publish) && publish.ValueKind == JsonValueKind.Object;
        var external = ReadTagList(section, "externalTags", required: false);
        foreach (var (tag, path) in external)
        {
            if (!tag.StartsWith(derivedDevice + "/", StringComparison.Ordinal))
            {
                section.Error(path, $"external tag '{tag}' must be on the derived device '{derivedDevice}'");
            }
        }

        var rules = new List<RuleConfig>();
        var readers = new List<JsonObjectReader>();
        var element = section.Property("definitions", required: true);
        if (element is { ValueKind: JsonValueKind.Array } array)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var reader = new JsonObjectReader(section.File, $"{section.At("definitions")}[{index++}]", item, section.Errors);
                var rule = ReadRule(reader, derivedDevice, deviceTags, mqttPublish);
                if (rule is not null)
                {
                    if (!names.Add(rule.Name))
                    {
                        reader.Error(reader.At("name"), $"rule name '{rule.Name}' is used twice");
                    }

                    rules.Add(rule);
                    readers.Add(reader);
                }
            }
        }
        else if (element is not null)
        {
            section.Error(section.At("definitions"), $"expected an array of rules, found {JsonObjectReader.Describe(element.Value)}");
        }

        section.RejectUnknown();
        CheckRuleInputs(rules, readers, derivedDevice, deviceTags, external.Select(e => e.Tag));
        return new RulesConfig(derivedDevice, [.. external.Select(e => e.Tag)], rules);
    }

    private static Dictionary<string, ModbusTagConfig?> DeviceTags(IReadOnlyList<DeviceConfig> devices)
    {
        var tags = new Dictionary<string, ModbusTagConfig?>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (device is ModbusDeviceConfig modbus)
            {
                foreach (var tag in modbus.Tags)
                {
                    tags[device.Name + "/" + tag.Name] = tag;
                }
            }
        }

        return tags;
    }

    private static RuleConfig? ReadRule(JsonObjectReader rule, string derivedDevice, Dictionary<string, ModbusTagConfig?> deviceTags, bool mqttPublish)
    {
        if (!rule.IsObject)
        {
            return null;
        }

        var name = rule.String("name", required: true) ?? "";
        if (name.Length > 0 && !IsName(name))
        {
            rule.Error(rule.At("name"), $"'{name}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }
        else if (name.StartsWith(RuleConfig.ModelRulePrefix, StringComparison.Ordinal))
        {
            rule.Error(rule.At("name"), $"names that start with '{RuleConfig.ModelRulePrefix}' are kept for the alarms of model outputs");
        }

        var errorsBefore = rule.Errors.Count;
        var kind = rule.Enum("type", RuleKind.Threshold, required: true, RuleKinds);
        var config = new RuleConfig
        {
            Name = name,
            Kind = kind,
            Source = $"{rule.File}: {rule.Path}",
            Severity = (int)rule.Integer("severity", 1, 1000, 500),
            Message = rule.String("message", required: false),
            For = TimeSpan.FromSeconds(rule.Number("forSeconds", 0, v => v is < 0 or > 86_400 ? "must be 0-86400" : null)),
            Deadband = rule.Number("deadband", 0, v => v < 0 ? "must not be negative" : null),
            RateLimit = ReadRateLimit(rule),
        };
        config = ReadKind(rule, config);
        config = config with { Actions = ReadActions(rule, derivedDevice, deviceTags, mqttPublish) };
        rule.RejectUnknown();
        return rule.Errors.Count == errorsBefore ? config : null;
    }

    private static List<(string Tag, string Path)> ReadTagList(JsonObjectReader owner, string name, bool required)
    {
        var result = new List<(string, string)>();
        var element = owner.Property(name, required);
        if (element is null)
        {
            return result;
        }

        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            owner.Error(owner.At(name), $"expected an array of 'device/tag' strings, found {JsonObjectReader.Describe(element.Value)}");
            return result;
        }

        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var path = $"{owner.At(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.String || !IsAddress(item.GetString()!))
            {
                owner.Error(path, $"expected a tag address 'device/tag', found {JsonObjectReader.Describe(item)}");
                continue;
            }

            result.Add((item.GetString()!, path));
        }

        return result;
    }

    private static bool IsAddress(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsName(text[..slash]) && IsName(text[(slash + 1)..]);
    }

    /// <summary>
    /// Every tag a rule reads must be a device tag, a tag some rule derives (expression output or
    /// setTag target), or an external one (model outputs).
    /// </summary>
    private static void CheckRuleInputs(
        List<RuleConfig> rules, List<JsonObjectReader> readers, string derivedDevice, Dictionary<string, ModbusTagConfig?> deviceTags, IEnumerable<string> external)
    {
        var known = new HashSet<string>(deviceTags.Keys, StringComparer.Ordinal);
        known.UnionWith(external);
        foreach (var rule in rules)
        {
            if (rule.Output is not null)
            {
                known.Add(rule.Output);
            }

            known.UnionWith(rule.Actions.Where(a => a.Kind == RuleActionKind.SetTag).Select(a => a.Device + "/" + a.Tag));
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var reader = readers[i];
            for (var t = 0; t < rule.Tags.Count; t++)
            {
                if (!known.Contains(rule.Tags[t]))
                {
                    reader.Error(reader.Has("tags") ? $"{reader.At("tags")}[{t}]" : reader.At("tag"), UnknownTag(rule.Tags[t], derivedDevice));
                }
            }

            CheckExpressionTags(reader, "condition", rule.Condition, known, derivedDevice);
            CheckExpressionTags(reader, "value", rule.Value, known, derivedDevice);
        }
    }

    private static void CheckExpressionTags(JsonObjectReader reader, string field, ExprNode? expression, HashSet<string> known, string derivedDevice)
    {
        if (expression is null)
        {
            return;
        }

        foreach (var tag in ExpressionTags.Collect(expression))
        {
            if (!known.Contains(tag.Address))
            {
                reader.Error(reader.At(field), $"at character {tag.Position + 1}: {UnknownTag(tag.Address, derivedDevice)}");
            }
        }
    }

    private static string UnknownTag(string address, string derivedDevice) =>
        address.StartsWith(derivedDevice + "/", StringComparison.Ordinal)
            ? $"unknown tag '{address}': no rule derives it and it is not in rules.externalTags"
            : $"unknown tag '{address}': no configured device has it";
}
