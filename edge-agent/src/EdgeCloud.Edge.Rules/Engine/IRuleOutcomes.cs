using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>What happens when a rule raises or clears: its actions. Called under the engine's lock; must not block.</summary>
internal interface IRuleOutcomes
{
    /// <summary>Runs <paramref name="rule"/>'s actions for <paramref name="transition"/>; derived points go to <paramref name="derived"/>.</summary>
    void OnTransition(Rule rule, RuleTransition transition, DateTimeOffset time, List<DataPoint> derived);
}
