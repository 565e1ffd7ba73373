namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>What changed after a rule was evaluated.</summary>
internal enum RuleTransition
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>The rule became active.</summary>
    Raised,

    /// <summary>The rule stopped being active.</summary>
    Cleared,
}
