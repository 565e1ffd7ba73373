using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Detectors;
using EdgeCloud.Edge.Rules.Evaluation;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// Evaluates the site's rules. Rules are indexed by the tags they read, so a point re-evaluates
/// only the rules whose inputs it changes, and a point no rule reads costs one dictionary miss.
/// No allocation per point on the evaluation path (strings are built only for transitions and
/// fault logs). Derived points this engine makes are fed back to its own rules (at most
/// <see cref="MaxDerivedDepth"/> levels), since the pipeline shows a stage's outputs only to later
/// stages. One lock serializes the pipeline thread and the timer (stale rules); it is uncontended
/// except once a second.
/// </summary>
internal sealed partial class RuleEngine
{
    /// <summary>How many levels of rule-on-derived-tag are followed inside one point.</summary>
    public const int MaxDerivedDepth = 4;

    private readonly Lock _lock = new();
    private readonly TagTable _tags = new();
    private readonly Rule[] _rules;
    private readonly StaleRule[] _stale;
    private readonly Rule[] _timed;
    private readonly EvaluationContext _context = new();
    private readonly IRuleOutcomes _outcomes;
    private readonly ILogger _logger;
    private long _evaluations;

    /// <summary>Builds the rule instances and indexes them by input tag; <paramref name="publishMetrics"/> is false for the small engines of model rules, so the site engine's instruments are not duplicated.</summary>
    public RuleEngine(RulesConfig config, TimeProvider time, IRuleOutcomes outcomes, IMeterFactory meters, ILogger<RuleEngine> logger, bool publishMetrics = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(meters);
        _outcomes = outcomes;
        _logger = logger;
        var rules = new List<Rule>();
        foreach (var rule in config.Rules)
        {
            switch (rule.Kind)
            {
                case RuleKind.Expression:
                    rules.Add(new ExpressionRule(rule, _tags));
                    break;
                default:
                    rules.AddRange(rule.Tags.Select(tag => Create(rule, _tags.GetOrAdd(tag), time)));
                    break;
            }
        }

        _rules = [.. rules];
        _stale = [.. _rules.OfType<StaleRule>()];
        _timed = [.. _rules.Where(r => r.Config.For > TimeSpan.Zero)];
        foreach (var slot in _tags.Slots)
        {
            slot.Dependents = [.. Enumerable.Range(0, _rules.Length).Where(i => _rules[i].Inputs.Contains(slot))];
        }

        if (!publishMetrics)
        {
            return;
        }

        var meter = meters.Create(RulesMetrics.MeterName);
        meter.CreateObservableCounter("edge_rule_evaluations", () => Interlocked.Read(ref _evaluations), "{evaluation}", "Rule evaluations");
        meter.CreateObservableGauge("edge_rules_active", () => _rules.Count(r => r.Active), "{rule}", "Rule instances currently active");
    }

    /// <summary>Every rule instance, in config order (a single-tag rule once per tag).</summary>
    public IReadOnlyList<Rule> Rules => _rules;

    /// <summary>Rule evaluations so far.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Marks the instances whose alarm is still open after a restart as active, so they clear it.</summary>
    public void RestoreActive(Func<string, string, bool> isActive)
    {
        lock (_lock)
        {
            foreach (var rule in _rules.Where(r => isActive(r.Config.Name, r.AlarmTag)))
            {
                rule.RestoreActive();
            }
        }
    }

    /// <summary>Evaluates the rules that read <paramref name="point"/>'s tag.</summary>
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        if (!_tags.TryGet(point.Device, point.Tag, out var slot))
        {
            return;
        }

        lock (_lock)
        {
            Run(slot, point, derived, 0);
        }
    }

    /// <summary>
    /// Called by the rules timer: raises the stale rules whose tag has been silent too long, and
    /// the rules whose condition has held for their duration without a new point since.
    /// </summary>
    public void CheckStale(DateTimeOffset now, List<DataPoint> derived)
    {
        lock (_lock)
        {
            foreach (var rule in _stale)
            {
                var transition = rule.CheckStale(now.UtcTicks);
                if (transition != RuleTransition.None)
                {
                    _outcomes.OnTransition(rule, transition, now, derived);
                }
            }

            foreach (var rule in _timed)
            {
                if (rule.CheckPending(now.UtcTicks) == RuleTransition.Raised)
                {
                    _outcomes.OnTransition(rule, RuleTransition.Raised, now, derived);
                }
            }
        }
    }

    private void Run(TagSlot slot, in DataPoint point, List<DataPoint> derived, int depth)
    {
        slot.Update(point);
        var first = derived.Count;
        var now = point.Timestamp.UtcTicks;
        foreach (var index in slot.Dependents)
        {
            var rule = _rules[index];
            _context.Reset(now);
            var transition = rule.Evaluate(_context, point, derived);
            _evaluations++;
            if (transition != RuleTransition.None)
            {
                _outcomes.OnTransition(rule, transition, point.Timestamp, derived);
            }

            if (rule is ExpressionRule expression && expression.TakeFaultChange() is { } fault)
            {
                LogFault(expression, fault);
            }
        }

        if (depth >= MaxDerivedDepth)
        {
            return;
        }

        var last = derived.Count;
        for (var i = first; i < last; i++)
        {
            var item = derived[i];
            if (_tags.TryGet(item.Device, item.Tag, out var derivedSlot))
            {
                Run(derivedSlot, item, derived, depth + 1);
            }
        }
    }

    private static Rule Create(RuleConfig config, TagSlot slot, TimeProvider time) => config.Kind switch
    {
        RuleKind.Stale => new StaleRule(config, slot, time),
        RuleKind.Quality => new QualityRule(config, slot),
        RuleKind.ZScore or RuleKind.Iqr => new DetectorRule(config, slot),
        _ => new SingleTagRule(config, slot),
    };

    private void LogFault(ExpressionRule rule, (ExpressionFault Fault, int Position, string Expression) fault)
    {
        if (fault.Fault == ExpressionFault.None)
        {
            LogRecovered(_logger, rule.Config.Name, rule.Config.Source);
        }
        else
        {
            LogFaulted(_logger, rule.Config.Name, rule.Config.Source, fault.Fault, fault.Position + 1, fault.Expression);
        }
    }

    [LoggerMessage(EventId = 6500, Level = LogLevel.Warning, Message = "Rule {Rule} ({Source}): {Fault} at character {Position} of \"{Expression}\"; its output is bad quality until the inputs allow a value")]
    private static partial void LogFaulted(ILogger logger, string rule, string source, ExpressionFault fault, int position, string expression);

    [LoggerMessage(EventId = 6501, Level = LogLevel.Information, Message = "Rule {Rule} ({Source}) evaluates again")]
    private static partial void LogRecovered(ILogger logger, string rule, string source);
}
