namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A number literal.</summary>
/// <param name="Position">Where it starts.</param>
/// <param name="Value">Its value; always finite.</param>
public sealed record NumberNode(int Position, double Value) : ExprNode(Position);
