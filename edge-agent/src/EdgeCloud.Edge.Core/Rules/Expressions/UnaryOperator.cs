namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Unary operators of the rule expression language.</summary>
public enum UnaryOperator
{
    /// <summary><c>-x</c>.</summary>
    Negate,

    /// <summary><c>not x</c> / <c>!x</c>: 1 when x is 0, else 0.</summary>
    Not,
}
