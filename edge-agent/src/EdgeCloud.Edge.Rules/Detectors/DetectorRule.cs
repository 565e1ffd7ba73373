using System.Globalization;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Engine;
using EdgeCloud.Edge.Rules.Evaluation;

namespace EdgeCloud.Edge.Rules.Detectors;

/// <summary>
/// Z-score and IQR outlier detectors over a rolling window of the tag's good values. Each new
/// value is judged against the window <i>before</i> it joins it; the detector stays silent until
/// the window holds <see cref="RuleConfig.Warmup"/> samples. With a deadband, an active z-score
/// clears only when |z| falls below threshold - deadband; an active IQR rule when the value is
/// back inside the fences narrowed by the deadband.
/// </summary>
internal sealed class DetectorRule(RuleConfig config, TagSlot slot) : Rule(config, slot.Address)
{
    private readonly TagSlot[] _inputs = [slot];
    private readonly RollingWindow _window = new(config.Window);
    private double _score;

    public override IReadOnlyList<TagSlot> Inputs => _inputs;

    protected override RuleCondition Check(EvaluationContext context, in DataPoint trigger)
    {
        if (!trigger.Quality.IsGood() || double.IsNaN(slot.Value))
        {
            return RuleCondition.Unknown;
        }

        var v = slot.Value;
        LastValue = v;
        if (_window.Count < Config.Warmup)
        {
            _window.Add(v);
            return RuleCondition.Unknown;
        }

        var band = Active ? Config.Deadband : 0;
        bool abnormal;
        if (Config.Kind == RuleKind.ZScore)
        {
            var deviation = _window.StdDev;
            var distance = Math.Abs(v - _window.Mean);
            _score = deviation > 0 ? distance / deviation : (distance > 1e-12 ? double.PositiveInfinity : 0);
            abnormal = _score > Config.ZLimit - band;
        }
        else
        {
            var (q1, q3) = _window.Quartiles();
            var fence = Config.IqrFactor * (q3 - q1);
            _score = v < q1 ? (q1 - v) / Math.Max(q3 - q1, 1e-12) : (v > q3 ? (v - q3) / Math.Max(q3 - q1, 1e-12) : 0);
            abnormal = v < q1 - fence + band || v > q3 + fence - band;
        }

        _window.Add(v);
        return abnormal ? RuleCondition.Abnormal : RuleCondition.Normal;
    }

    public override string Describe()
    {
        if (Config.Message is not null)
        {
            return Config.Message;
        }

        return Config.Kind == RuleKind.ZScore
            ? string.Create(CultureInfo.InvariantCulture, $"{AlarmTag} = {LastValue:G6} is an outlier: |z| = {_score:G3} > {Config.ZLimit}")
            : string.Create(CultureInfo.InvariantCulture, $"{AlarmTag} = {LastValue:G6} is outside the IQR fences (k = {Config.IqrFactor})");
    }
}
