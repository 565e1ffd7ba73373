namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Scalar functions of the rule expression language.</summary>
public enum ExprFunction
{
    /// <summary><c>if(condition, then, else)</c>: only the chosen branch is evaluated.</summary>
    If,

    /// <summary><c>abs(x)</c>.</summary>
    Abs,

    /// <summary><c>min(a, b, ...)</c> of 2 to 16 values.</summary>
    Min,

    /// <summary><c>max(a, b, ...)</c> of 2 to 16 values.</summary>
    Max,

    /// <summary><c>sqrt(x)</c>; a negative x is a run-time fault.</summary>
    Sqrt,

    /// <summary><c>rate(device/tag)</c>: change per second between the tag's last two samples.</summary>
    Rate,
}
