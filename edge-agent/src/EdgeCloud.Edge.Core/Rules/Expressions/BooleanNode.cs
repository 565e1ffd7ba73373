namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A boolean literal (<c>true</c> / <c>false</c>); evaluates to 1 or 0.</summary>
/// <param name="Position">Where it starts.</param>
/// <param name="Value">Its value.</param>
public sealed record BooleanNode(int Position, bool Value) : ExprNode(Position);
