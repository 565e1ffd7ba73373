namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Binary operators of the rule expression language; comparisons and logic yield 1 or 0.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c>.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>; a zero divisor is a run-time fault, not infinity.</summary>
    Divide,

    /// <summary><c>%</c>; a zero divisor is a run-time fault.</summary>
    Modulo,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>and</c> / <c>&amp;&amp;</c>, short-circuit.</summary>
    And,

    /// <summary><c>or</c> / <c>||</c>, short-circuit.</summary>
    Or,
}
