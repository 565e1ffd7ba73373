namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Unwinds the recursive-descent parser at the first error; never escapes <see cref="ExpressionParser"/>.</summary>
internal sealed class ExpressionSyntaxException(ExpressionError error) : Exception(error.ToString())
{
    public ExpressionError Error { get; } = error;
}
