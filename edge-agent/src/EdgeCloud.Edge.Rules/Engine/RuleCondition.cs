namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>What a rule's check says about its latest inputs.</summary>
internal enum RuleCondition
{
    /// <summary>Cannot tell (a bad or missing input, a detector warming up): the rule keeps its state.</summary>
    Unknown,

    /// <summary>The abnormal condition does not hold.</summary>
    Normal,

    /// <summary>The abnormal condition holds.</summary>
    Abnormal,
}
