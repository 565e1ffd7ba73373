using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// An expression rule: its value (when configured) is published on the output tag every time an
/// input changes, as a bad-quality point carrying the <see cref="ExpressionFault"/> when it cannot
/// be computed; its condition (when configured) drives the rule's state. A faulted condition is
/// <see cref="RuleCondition.Unknown"/>: the rule keeps its state rather than raising or clearing on bad data.
/// </summary>
internal sealed class ExpressionRule : Rule
{
    private readonly CompiledExpression? _condition;
    private readonly CompiledExpression? _value;
    private readonly string _outputDevice = "";
    private readonly string _outputTag = "";
    private readonly TagSlot[] _inputs;

    public ExpressionRule(RuleConfig config, TagTable tags)
        : base(config, AlarmTagOf(config))
    {
        if (config.Condition is not null)
        {
            _condition = ExpressionCompiler.Compile(config.ConditionText!, config.Condition, tags);
        }

        if (config.Value is not null)
        {
            _value = ExpressionCompiler.Compile(config.ValueText!, config.Value, tags);
            var slash = config.Output!.IndexOf('/', StringComparison.Ordinal);
            _outputDevice = config.Output[..slash];
            _outputTag = config.Output[(slash + 1)..];
        }

        _inputs = [.. (_condition?.Inputs ?? []).Concat(_value?.Inputs ?? []).Distinct()];
    }

    public override IReadOnlyList<TagSlot> Inputs => _inputs;

    private (ExpressionFault Fault, int Position, string Expression) _fault;
    private bool _faultChanged;

    /// <summary>The new fault (None when it recovered) if it changed since the last call, else null: logs say it once.</summary>
    public (ExpressionFault Fault, int Position, string Expression)? TakeFaultChange()
    {
        if (!_faultChanged)
        {
            return null;
        }

        _faultChanged = false;
        return _fault;
    }

    public override RuleTransition Evaluate(EvaluationContext context, in DataPoint trigger, List<DataPoint> derived)
    {
        var fault = (ExpressionFault.None, 0, "");
        if (_value is not null)
        {
            var now = context.NowTicks;
            context.Reset(now);
            var value = _value.Evaluate(context);
            var at = new DateTimeOffset(now, TimeSpan.Zero);
            if (context.Fault == ExpressionFault.None)
            {
                derived.Add(new DataPoint(_outputDevice, _outputTag, at, TagValue.FromNumber(value), PointQuality.Good));
            }
            else
            {
                fault = (context.Fault, context.FaultPosition, _value.Text);
                derived.Add(new DataPoint(_outputDevice, _outputTag, at, TagValue.None, PointQuality.Bad, (uint)context.Fault));
            }

            context.Reset(now);
        }

        var transition = RuleTransition.None;
        if (_condition is not null)
        {
            var result = _condition.Evaluate(context);
            if (context.Fault != ExpressionFault.None)
            {
                fault = (context.Fault, context.FaultPosition, _condition.Text);
            }
            else
            {
                LastValue = result;
                transition = Apply(result != 0 ? RuleCondition.Abnormal : RuleCondition.Normal, context.NowTicks);
            }
        }

        // A missing input is normal until every input has had its first poll: not worth a log line.
        if (fault.Item1 == ExpressionFault.MissingInput)
        {
            fault = (ExpressionFault.None, 0, "");
        }

        if (fault.Item1 != _fault.Fault)
        {
            _fault = fault;
            _faultChanged = true;
        }

        return transition;
    }

    protected override RuleCondition Check(EvaluationContext context, in DataPoint trigger) => RuleCondition.Unknown;

    public override string Describe() => Config.Message ?? $"{Config.Name}: {Config.ConditionText}";

    private static string AlarmTagOf(RuleConfig config)
    {
        if (config.Output is not null)
        {
            return config.Output;
        }

        var tags = Rules.Expressions.ExpressionTags.Collect(config.Condition ?? config.Value!);
        return tags.Count > 0 ? tags[0].Address : "";
    }
}
