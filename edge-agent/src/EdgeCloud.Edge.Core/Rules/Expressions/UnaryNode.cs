namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A unary operation.</summary>
/// <param name="Position">Where the operator stands.</param>
/// <param name="Operator">Which operation.</param>
/// <param name="Operand">What it applies to.</param>
public sealed record UnaryNode(int Position, UnaryOperator Operator, ExprNode Operand) : ExprNode(Position);
