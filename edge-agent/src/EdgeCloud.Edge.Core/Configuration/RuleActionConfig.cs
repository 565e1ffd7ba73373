using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Configuration;

/// <summary>One action of a rule.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Device">Target device (derived device for <see cref="RuleActionKind.SetTag"/>); empty for alarms.</param>
/// <param name="Tag">Target tag; empty for alarms.</param>
/// <param name="Value">Value set or written when the rule becomes active.</param>
/// <param name="ClearValue">Value set or written when the rule clears; None when nothing happens then.</param>
public sealed record RuleActionConfig(RuleActionKind Kind, string Device, string Tag, TagValue Value, TagValue ClearValue);
