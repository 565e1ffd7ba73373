using System.Globalization;

namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Why an expression does not parse: where (0-based index) and what was expected there.</summary>
/// <param name="Position">0-based index of the offending character in the expression.</param>
/// <param name="Message">What was found and what was expected.</param>
public sealed record ExpressionError(int Position, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"at character {Position + 1}: {Message}");
}
