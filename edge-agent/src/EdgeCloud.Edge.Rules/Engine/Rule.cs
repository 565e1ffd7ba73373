using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// One rule instance (a rule config applied to one tag, or an expression rule). Holds the state
/// between evaluations: active or not, since when the condition has held (for a duration). A
/// derived class only says whether its condition holds, seeing <see cref="Active"/> so it can
/// apply its hysteresis; this base class turns that into transitions. Used on the engine's lock only.
/// </summary>
internal abstract class Rule(RuleConfig config, string alarmTag)
{
    private long _pendingSince = -1;

    public RuleConfig Config { get; } = config;

    /// <summary>The tag the rule's alarm belongs to (one active alarm per rule and tag).</summary>
    public string AlarmTag { get; } = alarmTag;

    /// <summary>True while the rule is active (raised and not yet cleared).</summary>
    public bool Active { get; private set; }

    /// <summary>The value behind the latest check, for the alarm message and event.</summary>
    public double LastValue { get; protected set; } = double.NaN;

    /// <summary>The tag slots whose change re-evaluates this rule.</summary>
    public abstract IReadOnlyList<TagSlot> Inputs { get; }

    /// <summary>Checks the condition at the context's time.</summary>
    protected abstract RuleCondition Check(EvaluationContext context, in DataPoint trigger);

    /// <summary>The alarm text when the rule raises.</summary>
    public virtual string Describe() => Config.Message ?? $"rule {Config.Name} active on {AlarmTag}";

    /// <summary>Evaluates on <paramref name="trigger"/>; a derived class may append derived points.</summary>
    public virtual RuleTransition Evaluate(EvaluationContext context, in DataPoint trigger, List<DataPoint> derived) =>
        Apply(Check(context, trigger), context.NowTicks);

    /// <summary>Turns a condition into a transition, honouring <see cref="RuleConfig.For"/>.</summary>
    protected RuleTransition Apply(RuleCondition condition, long nowTicks)
    {
        switch (condition)
        {
            case RuleCondition.Abnormal when Active:
                return RuleTransition.None;
            case RuleCondition.Abnormal:
                if (Config.For > TimeSpan.Zero)
                {
                    if (_pendingSince < 0)
                    {
                        _pendingSince = nowTicks;
                    }

                    if (nowTicks - _pendingSince < Config.For.Ticks)
                    {
                        return RuleTransition.None;
                    }
                }

                _pendingSince = -1;
                Active = true;
                return RuleTransition.Raised;
            case RuleCondition.Normal:
                _pendingSince = -1;
                if (!Active)
                {
                    return RuleTransition.None;
                }

                Active = false;
                return RuleTransition.Cleared;
            case RuleCondition.Unknown:
            default:
                return RuleTransition.None;
        }
    }

    /// <summary>
    /// Called by the rules timer: raises a rule whose condition has held for <see cref="RuleConfig.For"/>
    /// by <paramref name="nowTicks"/> (agent clock, UTC) even if no new point came since, as a source that
    /// reports by exception sends nothing while the value stays put.
    /// </summary>
    public RuleTransition CheckPending(long nowTicks)
    {
        if (Active || _pendingSince < 0 || nowTicks - _pendingSince < Config.For.Ticks)
        {
            return RuleTransition.None;
        }

        _pendingSince = -1;
        Active = true;
        return RuleTransition.Raised;
    }

    /// <summary>After a restart: the alarm store says this rule's alarm is still active.</summary>
    public void RestoreActive() => Active = true;
}
