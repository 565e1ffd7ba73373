using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Configuration;

/// <summary>One action of a rule.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Device">Target device (derived device for <see cref="RuleActionKind.SetTag"/>); empty for alarms.</param>
/// <param name="Tag">Target tag; empty for alarms.</param>
/// <param name="Value">Value set or written when the rule becomes active.</param>
/// <param name="ClearValue">Value set or written when the rule clears; None when nothing happens then.</param>
public sealed record RuleActionConfig(RuleActionKind Kind, string Device, string Tag, TagValue Value, TagValue ClearValue)
{
    /// <summary>Where a <see cref="RuleActionKind.Mqtt"/> action publishes; null for the other kinds.</summary>
    public RuleMqttPublish? Mqtt { get; init; }
}

/// <summary>The target of an <c>mqtt</c> rule action.</summary>
/// <param name="Topic">Topic template with <c>{agent}</c>, <c>{rule}</c>, <c>{device}</c> and <c>{tag}</c> (the rule's alarm tag).</param>
/// <param name="Qos">0 or 1.</param>
/// <param name="Retain">Whether the broker keeps the last message.</param>
/// <param name="OnClear">Also publish when the rule clears (true by default).</param>
public sealed record RuleMqttPublish(string Topic, int Qos, bool Retain, bool OnClear);
