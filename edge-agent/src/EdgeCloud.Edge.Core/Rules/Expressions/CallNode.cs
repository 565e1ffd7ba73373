namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A call of a scalar function; the argument count was checked by the parser.</summary>
/// <param name="Position">Where the function name starts.</param>
/// <param name="Function">Which function.</param>
/// <param name="Arguments">Its arguments, in order.</param>
public sealed record CallNode(int Position, ExprFunction Function, IReadOnlyList<ExprNode> Arguments) : ExprNode(Position);
