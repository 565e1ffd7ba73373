using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// Active when the tag has had no new point for <see cref="RuleConfig.StaleAfter"/>, measured on
/// the agent's clock (arrival, not the source timestamp, which a stuck device may repeat). A point
/// clears it; the rules timer raises it (<see cref="CheckStale"/>).
/// </summary>
internal sealed class StaleRule(RuleConfig config, TagSlot slot, TimeProvider time) : Rule(config, slot.Address)
{
    private readonly TagSlot[] _inputs = [slot];

    public override IReadOnlyList<TagSlot> Inputs => _inputs;

    private long _lastArrival = time.GetTimestamp();

    protected override RuleCondition Check(EvaluationContext context, in DataPoint trigger)
    {
        _lastArrival = time.GetTimestamp();
        return RuleCondition.Normal;
    }

    /// <summary>Raises when the silence since the last point (or the engine's start) is longer than the limit.</summary>
    public RuleTransition CheckStale(long nowTicks)
    {
        var silence = time.GetElapsedTime(_lastArrival);
        LastValue = silence.TotalSeconds;
        return Apply(silence > Config.StaleAfter ? RuleCondition.Abnormal : RuleCondition.Normal, nowTicks);
    }

    public override string Describe() =>
        Config.Message ?? FormattableString.Invariant($"{AlarmTag}: no new value for {LastValue:F0} s (limit {Config.StaleAfter.TotalSeconds} s)");
}
