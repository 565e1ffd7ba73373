using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>A rule over one tag's value: threshold, range or rate of change, each with its deadband.</summary>
internal sealed class SingleTagRule(RuleConfig config, TagSlot slot) : Rule(config, slot.Address)
{
    private readonly TagSlot[] _inputs = [slot];

    public override IReadOnlyList<TagSlot> Inputs => _inputs;

    protected override RuleCondition Check(EvaluationContext context, in DataPoint trigger)
    {
        if (!slot.HasValue || slot.Quality.IsBad() || double.IsNaN(slot.Value))
        {
            return RuleCondition.Unknown;
        }

        var v = slot.Value;
        var band = Active ? Config.Deadband : 0;
        switch (Config.Kind)
        {
            case RuleKind.Threshold when Config.Above is { } above:
                LastValue = v;
                return v > above - band ? RuleCondition.Abnormal : RuleCondition.Normal;
            case RuleKind.Threshold:
                LastValue = v;
                return v < Config.Below!.Value + band ? RuleCondition.Abnormal : RuleCondition.Normal;
            case RuleKind.Range:
                LastValue = v;
                return v < Config.Low + band || v > Config.High - band ? RuleCondition.Abnormal : RuleCondition.Normal;
            case RuleKind.RateOfChange:
            default:
                if (!slot.HasPrevious)
                {
                    return RuleCondition.Unknown;
                }

                var rate = (v - slot.PreviousValue) / ((slot.Ticks - slot.PreviousTicks) / (double)TimeSpan.TicksPerSecond);
                LastValue = rate;
                return Math.Abs(rate) > Config.MaxPerSecond - band ? RuleCondition.Abnormal : RuleCondition.Normal;
        }
    }

    public override string Describe()
    {
        if (Config.Message is not null)
        {
            return Config.Message;
        }

        var value = LastValue.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        return Config.Kind switch
        {
            RuleKind.Threshold when Config.Above is { } above => FormattableString.Invariant($"{AlarmTag} = {value}, above {above}"),
            RuleKind.Threshold => FormattableString.Invariant($"{AlarmTag} = {value}, below {Config.Below}"),
            RuleKind.Range => FormattableString.Invariant($"{AlarmTag} = {value}, outside {Config.Low}..{Config.High}"),
            _ => FormattableString.Invariant($"{AlarmTag} changes at {value}/s, more than {Config.MaxPerSecond}/s"),
        };
    }
}
