using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// One validated rule. Single-tag kinds run once per tag in <see cref="Tags"/> (each its own
/// alarm: one active alarm per rule and tag); an expression rule reads the tags its expressions
/// name. Only the properties of <see cref="Kind"/> are meaningful; the loader refuses the others.
/// </summary>
public sealed record RuleConfig
{
    /// <summary>Rule names that start with this belong to model manifests (<see cref="ModelOutputBinding.Alarm"/>); site rules cannot use it.</summary>
    public const string ModelRulePrefix = "model.";

    /// <summary>Unique rule name.</summary>
    public required string Name { get; init; }

    /// <summary>What the rule checks.</summary>
    public required RuleKind Kind { get; init; }

    /// <summary>Where the rule was defined (file and JSON path), for messages.</summary>
    public required string Source { get; init; }

    /// <summary>Tags checked (single-tag kinds), as <c>device/tag</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Alarm severity, 1 (lowest) to 1000; 500 by default.</summary>
    public int Severity { get; init; } = 500;

    /// <summary>Alarm text; a default naming the rule and the condition when absent.</summary>
    public string? Message { get; init; }

    /// <summary>The condition must hold this long (point timestamps) before the rule becomes active.</summary>
    public TimeSpan For { get; init; }

    /// <summary>Hysteresis: how far back past the limit a value must go before the rule clears.</summary>
    public double Deadband { get; init; }

    /// <summary>Threshold: active above this.</summary>
    public double? Above { get; init; }

    /// <summary>Threshold: active below this.</summary>
    public double? Below { get; init; }

    /// <summary>Range: lowest normal value.</summary>
    public double Low { get; init; }

    /// <summary>Range: highest normal value.</summary>
    public double High { get; init; }

    /// <summary>Rate of change: the largest normal |change per second|.</summary>
    public double MaxPerSecond { get; init; }

    /// <summary>Stale: the longest normal time without a new value.</summary>
    public TimeSpan StaleAfter { get; init; }

    /// <summary>Quality: which qualities make the rule active.</summary>
    public QualityCondition QualityWhen { get; init; }

    /// <summary>Expression: the condition (non-zero = active), or null for a value-only rule.</summary>
    public ExprNode? Condition { get; init; }

    /// <summary>Expression: the condition's text.</summary>
    public string? ConditionText { get; init; }

    /// <summary>Expression: the value published on <see cref="Output"/> each time an input changes.</summary>
    public ExprNode? Value { get; init; }

    /// <summary>Expression: the value's text.</summary>
    public string? ValueText { get; init; }

    /// <summary>Expression: the derived tag that receives <see cref="Value"/>, as <c>device/tag</c>.</summary>
    public string? Output { get; init; }

    /// <summary>Detectors: samples in the rolling window.</summary>
    public int Window { get; init; }

    /// <summary>Detectors: samples needed before the detector may fire (the baseline's warm-up).</summary>
    public int Warmup { get; init; }

    /// <summary>Z-score: the |z| above which the value is an outlier (3 by default).</summary>
    public double ZLimit { get; init; } = 3;

    /// <summary>IQR: the fence factor k (1.5 by default).</summary>
    public double IqrFactor { get; init; } = 1.5;

    /// <summary>What happens on activation; an alarm when the config lists none.</summary>
    public IReadOnlyList<RuleActionConfig> Actions { get; init; } = [];

    /// <summary>The rule's token bucket.</summary>
    public RuleRateLimit RateLimit { get; init; } = RuleRateLimit.Default;
}
