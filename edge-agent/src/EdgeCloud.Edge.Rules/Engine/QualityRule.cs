using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>Active while the tag's quality is bad (or, with <c>notGood</c>, uncertain or bad).</summary>
internal sealed class QualityRule(RuleConfig config, TagSlot slot) : Rule(config, slot.Address)
{
    private readonly TagSlot[] _inputs = [slot];
    private PointQuality _quality;

    public override IReadOnlyList<TagSlot> Inputs => _inputs;

    protected override RuleCondition Check(EvaluationContext context, in DataPoint trigger)
    {
        _quality = trigger.Quality;
        LastValue = (double)trigger.Quality;
        var abnormal = Config.QualityWhen == QualityCondition.Bad ? trigger.Quality.IsBad() : !trigger.Quality.IsGood();
        return abnormal ? RuleCondition.Abnormal : RuleCondition.Normal;
    }

    public override string Describe() => Config.Message ?? $"{AlarmTag} quality is {_quality}";
}
