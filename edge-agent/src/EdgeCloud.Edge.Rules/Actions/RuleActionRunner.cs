using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;
using EdgeCloud.Edge.Rules.Northbound;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Actions;

/// <summary>
/// Runs a rule's actions when it raises or clears. A raise takes a token from the rule's bucket
/// (one bucket per rule, shared by its tags); without a token none of its actions run, the
/// suppression is counted, and the matching clear is skipped too, so no alarm is cleared that was
/// never raised. Clears never need a token: an alarm that was raised can always clear. Device
/// writes only go into the bounded <see cref="TagWriteQueue"/> and MQTT messages into the
/// publisher's bounded queue; nothing here blocks.
/// </summary>
internal sealed partial class RuleActionRunner : IRuleOutcomes
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly HashSet<Rule> _suppressedRaises = [];
    private readonly AlarmManager _alarms;
    private readonly TagWriteQueue _writes;
    private readonly RuleMqttPublisher? _mqtt;
    private readonly ILogger _logger;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _actions;

    public RuleActionRunner(RulesConfig config, AlarmManager alarms, TagWriteQueue writes, TimeProvider time, IMeterFactory meters, ILogger<RuleActionRunner> logger, RuleMqttPublisher? mqtt = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(meters);
        _alarms = alarms;
        _writes = writes;
        _mqtt = mqtt;
        _time = time;
        _logger = logger;
        foreach (var rule in config.Rules)
        {
            _buckets[rule.Name] = new TokenBucket(rule.RateLimit.Burst, rule.RateLimit.PerMinute, time);
        }

        var meter = meters.Create(RulesMetrics.MeterName);
        _suppressed = meter.CreateCounter<long>("edge_rule_actions_suppressed", "{activation}", "Rule activations whose actions the rate limit refused");
        _actions = meter.CreateCounter<long>("edge_rule_actions", "{action}", "Rule actions run");
    }

    /// <summary>Activations refused by a rate limit, per rule name (read under the engine's lock or in tests).</summary>
    public Dictionary<string, long> SuppressedByRule { get; } = new(StringComparer.Ordinal);

    public void OnTransition(Rule rule, RuleTransition transition, DateTimeOffset time, List<DataPoint> derived)
    {
        // The site's engine and the models' engines have locks of their own: this one keeps the
        // buckets and the suppressed set consistent when the timer and the pipeline meet here.
        lock (_lock)
        {
            Transition(rule, transition, time, derived);
        }
    }

    private void Transition(Rule rule, RuleTransition transition, DateTimeOffset time, List<DataPoint> derived)
    {
        var config = rule.Config;
        if (transition == RuleTransition.Raised)
        {
            // Model rules arrive after construction: their bucket is made on first use.
            if (!_buckets.TryGetValue(config.Name, out var bucket))
            {
                bucket = _buckets[config.Name] = new TokenBucket(config.RateLimit.Burst, config.RateLimit.PerMinute, _time);
            }

            if (!bucket.TryTake())
            {
                _suppressedRaises.Add(rule);
                _suppressed.Add(1);
                SuppressedByRule[config.Name] = SuppressedByRule.GetValueOrDefault(config.Name) + 1;
                LogRateLimited(_logger, config.Name, rule.AlarmTag);
                return;
            }
        }
        else if (_suppressedRaises.Remove(rule))
        {
            return;
        }

        foreach (var action in config.Actions)
        {
            Run(rule, action, transition == RuleTransition.Raised, time, derived);
        }
    }

    private void Run(Rule rule, RuleActionConfig action, bool raised, DateTimeOffset time, List<DataPoint> derived)
    {
        var config = rule.Config;
        var value = raised ? action.Value : action.ClearValue;
        switch (action.Kind)
        {
            case RuleActionKind.Alarm when raised:
                _alarms.Raise(config.Name, rule.AlarmTag, config.Severity, rule.Describe(), rule.LastValue, time);
                break;
            case RuleActionKind.Alarm:
                _alarms.Clear(config.Name, rule.AlarmTag, $"{config.Name} back to normal on {rule.AlarmTag}", rule.LastValue, time);
                break;
            case RuleActionKind.SetTag when value.Kind != TagValueKind.None:
                derived.Add(new DataPoint(action.Device, action.Tag, time, value, PointQuality.Good));
                break;
            case RuleActionKind.Write when value.Kind != TagValueKind.None:
                if (!_writes.TryEnqueue(new TagWriteRequest(config.Name, action.Device, action.Tag, value)))
                {
                    LogWriteDropped(_logger, config.Name, action.Device, action.Tag);
                }

                break;
            case RuleActionKind.Mqtt when action.Mqtt is { } target && (raised || target.OnClear):
                var text = raised ? rule.Describe() : $"{config.Name} back to normal on {rule.AlarmTag}";
                if (_mqtt?.Publish(target, config.Name, rule.AlarmTag, raised, config.Severity, rule.LastValue, text, time) != true)
                {
                    LogMqttNotQueued(_logger, config.Name, target.Topic);
                }

                break;
            default:
                return;
        }

        _actions.Add(1);
    }

    [LoggerMessage(EventId = 6520, Level = LogLevel.Warning, Message = "Rule {Rule} on {Tag} became active but its rate limit is exhausted: no action runs for it")]
    private static partial void LogRateLimited(ILogger logger, string rule, string tag);

    [LoggerMessage(EventId = 6521, Level = LogLevel.Warning, Message = "Rule {Rule}: MQTT message for '{Topic}' not queued: no MQTT publisher runs")]
    private static partial void LogMqttNotQueued(ILogger logger, string rule, string topic);

    [LoggerMessage(EventId = 6703, Level = LogLevel.Warning, Message = "Rule {Rule}: write to {Device}/{Tag} dropped, the write queue is full")]
    private static partial void LogWriteDropped(ILogger logger, string rule, string device, string tag);
}
