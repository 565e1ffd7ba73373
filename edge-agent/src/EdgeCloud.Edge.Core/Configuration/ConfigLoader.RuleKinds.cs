using System.Text.Json;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The per-kind part of a rule in <see cref="ConfigLoader"/>: limits, windows, expressions.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, QualityCondition> QualityConditions = new(StringComparer.Ordinal)
    {
        ["bad"] = QualityCondition.Bad,
        ["notGood"] = QualityCondition.NotGood,
    };

    private static RuleConfig ReadKind(JsonObjectReader rule, RuleConfig config)
    {
        if (config.Kind != RuleKind.Expression)
        {
            config = config with { Tags = ReadRuleTags(rule) };
        }

        switch (config.Kind)
        {
            case RuleKind.Threshold:
                var above = rule.Has("above") ? rule.Number("above", 0) : (double?)null;
                var below = rule.Has("below") ? rule.Number("below", 0) : (double?)null;
                _ = rule.Property("above", required: false);
                _ = rule.Property("below", required: false);
                if (above.HasValue == below.HasValue)
                {
                    rule.Error(rule.At("above"), "a threshold rule needs exactly one of 'above' and 'below'");
                }

                return config with { Above = above, Below = below };
            case RuleKind.Range:
                var low = Required(rule, "low");
                var high = Required(rule, "high");
                if (low >= high)
                {
                    rule.Error(rule.At("high"), $"must be greater than low ({low})");
                }
                else if (2 * config.Deadband >= high - low)
                {
                    rule.Error(rule.At("deadband"), "must be less than half of high - low, or the rule could never clear");
                }

                return config with { Low = low, High = high };
            case RuleKind.RateOfChange:
                return config with { MaxPerSecond = Required(rule, "maxPerSecond", v => v <= 0 ? "must be more than 0" : null) };
            case RuleKind.Stale:
                return config with { StaleAfter = TimeSpan.FromSeconds(rule.Integer("seconds", 1, 86_400, 60, required: true)) };
            case RuleKind.Quality:
                return config with { QualityWhen = rule.Enum("when", QualityCondition.Bad, required: false, QualityConditions) };
            case RuleKind.ZScore:
            case RuleKind.Iqr:
                return ReadDetector(rule, config);
            case RuleKind.Expression:
            default:
                return ReadExpressionRule(rule, config);
        }
    }

    private static List<string> ReadRuleTags(JsonObjectReader rule)
    {
        if (rule.Has("tags"))
        {
            _ = rule.Property("tag", required: false);
            if (rule.Has("tag"))
            {
                rule.Error(rule.At("tag"), "give either 'tag' or 'tags', not both");
            }

            var tags = ReadTagList(rule, "tags", required: true).Select(t => t.Tag).ToList();
            if (tags.Count == 0)
            {
                rule.Error(rule.At("tags"), "expected at least one tag");
            }

            return tags;
        }

        _ = rule.Property("tags", required: false);
        var tag = rule.String("tag", required: true);
        if (tag is null)
        {
            return [];
        }

        if (!IsAddress(tag))
        {
            rule.Error(rule.At("tag"), $"'{tag}' is not a tag address 'device/tag'");
            return [];
        }

        return [tag];
    }

    private static RuleConfig ReadDetector(JsonObjectReader rule, RuleConfig config)
    {
        var window = (int)rule.Integer("window", 8, 10_000, 100);
        var warmup = (int)rule.Integer("warmup", 4, 10_000, Math.Max(4, window / 2));
        if (warmup > window)
        {
            rule.Error(rule.At("warmup"), $"must not exceed window ({window})");
        }

        return config.Kind == RuleKind.ZScore
            ? config with { Window = window, Warmup = warmup, ZLimit = rule.Number("threshold", 3, v => v <= 0 ? "must be more than 0" : null) }
            : config with { Window = window, Warmup = warmup, IqrFactor = rule.Number("k", 1.5, v => v <= 0 ? "must be more than 0" : null) };
    }

    private static RuleConfig ReadExpressionRule(JsonObjectReader rule, RuleConfig config)
    {
        var (condition, conditionText) = ReadExpression(rule, "condition");
        var (value, valueText) = ReadExpression(rule, "value");
        var output = rule.String("output", required: false);
        if (!rule.Has("condition") && !rule.Has("value"))
        {
            rule.Error(rule.At("condition"), "an expression rule needs a 'condition', a 'value' (with 'output'), or both");
        }

        if (rule.Has("value") != (output is not null))
        {
            rule.Error(rule.At("output"), "'value' and 'output' go together: the value is published as the output tag");
        }

        return config with { Condition = condition, ConditionText = conditionText, Value = value, ValueText = valueText, Output = output };
    }

    private static (ExprNode? Node, string? Text) ReadExpression(JsonObjectReader rule, string field)
    {
        var text = rule.String(field, required: false);
        if (text is null)
        {
            return (null, null);
        }

        if (!ExpressionParser.TryParse(text, out var node, out var error))
        {
            rule.Error(rule.At(field), $"does not parse {error}: \"{text}\"");
            return (null, text);
        }

        return (node, text);
    }

    private static double Required(JsonObjectReader rule, string name, Func<double, string?>? check = null)
    {
        if (!rule.Has(name))
        {
            _ = rule.Property(name, required: true);
            return 0;
        }

        return rule.Number(name, 0, check);
    }

    private static RuleRateLimit ReadRateLimit(JsonObjectReader rule)
    {
        var limit = Child(rule, "rateLimit", required: false);
        if (limit is null || !limit.IsObject)
        {
            return RuleRateLimit.Default;
        }

        var burst = (int)limit.Integer("burst", 1, 1000, RuleRateLimit.Default.Burst);
        var perMinute = limit.Number("perMinute", RuleRateLimit.Default.PerMinute, v => v is <= 0 or > 60_000 ? "must be more than 0 and at most 60000" : null);
        limit.RejectUnknown();
        return new RuleRateLimit(burst, perMinute);
    }

    internal static TagValue ReadActionValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => TagValue.FromFlag(true),
        JsonValueKind.False => TagValue.FromFlag(false),
        JsonValueKind.String => TagValue.FromText(element.GetString()!),
        JsonValueKind.Number when element.TryGetInt64(out var integer) => TagValue.FromInteger(integer),
        JsonValueKind.Number => TagValue.FromNumber(element.GetDouble()),
        _ => TagValue.None,
    };
}
