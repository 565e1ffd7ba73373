namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// Why an expression produced no value at run time. The numeric value is carried as the
/// <c>StatusDetail</c> of the bad-quality derived point, so a reader of the data sees the reason.
/// </summary>
public enum ExpressionFault : uint
{
    /// <summary>Evaluated normally.</summary>
    None = 0,

    /// <summary>A division or modulo by zero.</summary>
    DivisionByZero = 1,

    /// <summary>An input tag has had no value yet.</summary>
    MissingInput = 2,

    /// <summary>An input tag's latest value has bad quality, or is not a number.</summary>
    BadInput = 3,

    /// <summary>The result is infinite or NaN (overflow, for example).</summary>
    NotFinite = 4,

    /// <summary>The square root of a negative number.</summary>
    NegativeRoot = 5,

    /// <summary>A window or rate has too few samples yet.</summary>
    NotEnoughSamples = 6,
}
