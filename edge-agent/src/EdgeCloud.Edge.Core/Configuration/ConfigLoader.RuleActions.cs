using System.Text.Json;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The actions part of a rule in <see cref="ConfigLoader"/>.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, RuleActionKind> ActionKinds = new(StringComparer.Ordinal)
    {
        ["alarm"] = RuleActionKind.Alarm,
        ["setTag"] = RuleActionKind.SetTag,
        ["write"] = RuleActionKind.Write,
        ["mqtt"] = RuleActionKind.Mqtt,
    };

    private static List<RuleActionConfig> ReadActions(JsonObjectReader rule, string derivedDevice, Dictionary<string, ModbusTagConfig?> deviceTags, bool mqttPublish)
    {
        var element = rule.Property("actions", required: false);
        if (element is null)
        {
            return [new RuleActionConfig(RuleActionKind.Alarm, "", "", TagValue.None, TagValue.None)];
        }

        var actions = new List<RuleActionConfig>();
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            rule.Error(rule.At("actions"), $"expected an array of actions, found {JsonObjectReader.Describe(element.Value)}");
            return actions;
        }

        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var action = new JsonObjectReader(rule.File, $"{rule.At("actions")}[{index++}]", item, rule.Errors);
            if (action.IsObject && ReadAction(action, derivedDevice, deviceTags, mqttPublish) is { } parsed)
            {
                actions.Add(parsed);
            }
        }

        return actions;
    }

    private static RuleActionConfig? ReadAction(JsonObjectReader action, string derivedDevice, Dictionary<string, ModbusTagConfig?> deviceTags, bool mqttPublish)
    {
        var kind = action.Enum("type", RuleActionKind.Alarm, required: true, ActionKinds);
        if (kind == RuleActionKind.Alarm)
        {
            action.RejectUnknown();
            return new RuleActionConfig(kind, "", "", TagValue.None, TagValue.None);
        }

        if (kind == RuleActionKind.Mqtt)
        {
            return ReadMqttAction(action, mqttPublish);
        }

        var tag = action.String("tag", required: true) ?? "";
        var value = ActionValue(action, "value", required: true);
        var clearValue = ActionValue(action, "clearValue", required: false);
        action.RejectUnknown();
        if (!IsAddress(tag))
        {
            action.Error(action.At("tag"), $"'{tag}' is not a tag address 'device/tag'");
            return null;
        }

        var slash = tag.IndexOf('/', StringComparison.Ordinal);
        var device = tag[..slash];
        if (kind == RuleActionKind.SetTag && device != derivedDevice)
        {
            action.Error(action.At("tag"), $"setTag publishes derived tags: '{tag}' must be on device '{derivedDevice}'");
            return null;
        }

        if (kind == RuleActionKind.Write)
        {
            if (!deviceTags.TryGetValue(tag, out var target))
            {
                action.Error(action.At("tag"), $"unknown tag '{tag}': no configured device has it");
                return null;
            }

            if (target is { Area: ModbusRegisterArea.Input })
            {
                action.Error(action.At("tag"), $"'{tag}' is an input register, which Modbus cannot write");
                return null;
            }
        }

        return new RuleActionConfig(kind, device, tag[(slash + 1)..], value, clearValue);
    }

    private static RuleActionConfig? ReadMqttAction(JsonObjectReader action, bool mqttPublish)
    {
        var topic = action.String("topic", required: true) ?? "";
        if (topic.Length > 0 && MqttTemplateProblem(topic, MqttRuleTemplateFields) is { } problem)
        {
            action.Error(action.At("topic"), $"'{topic}' is not a topic template: {problem}");
        }

        var target = new RuleMqttPublish(topic, (int)action.Integer("qos", 0, 1, 0), MqttBool(action, "retain", false), MqttBool(action, "onClear", true));
        action.RejectUnknown();
        if (!mqttPublish)
        {
            action.Error(action.At("type"), "an mqtt action publishes through the site's mqtt.publish section, which is missing (add one naming the broker)");
            return null;
        }

        return new RuleActionConfig(RuleActionKind.Mqtt, "", "", TagValue.None, TagValue.None) { Mqtt = target };
    }

    private static TagValue ActionValue(JsonObjectReader action, string name, bool required)
    {
        var element = action.Property(name, required);
        if (element is null)
        {
            return TagValue.None;
        }

        var value = ReadActionValue(element.Value);
        if (value.Kind == TagValueKind.None || (value.Kind == TagValueKind.Number && !double.IsFinite(value.AsDouble())))
        {
            action.Error(action.At(name), $"expected a number, a boolean or a string, found {JsonObjectReader.Describe(element.Value)}");
        }

        return value;
    }
}
