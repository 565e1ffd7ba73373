namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>
/// Bounds on what an expression may cost, so that a config cannot make the data path slow or the
/// parser recurse without end.
/// </summary>
public static class ExpressionLimits
{
    /// <summary>Longest expression text accepted, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Deepest nesting of operations and calls accepted.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most arguments of <c>min</c>/<c>max</c>.</summary>
    public const int MaxArguments = 16;

    /// <summary>Longest time window of <c>avg</c>, <c>min</c>, <c>max</c> and <c>stddev</c>.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);
}
