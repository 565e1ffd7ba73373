using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>The rules' place in the pipeline: every point goes to the site's <see cref="RuleEngine"/>, then to the models' rules, on the batcher's thread.</summary>
internal sealed class RulesStage(RuleEngine engine, ModelRuleSets models) : IPointStage
{
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        engine.Process(point, derived);
        models.Process(point, derived);
    }
}
