namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A binary operation.</summary>
/// <param name="Position">Where the operator stands.</param>
/// <param name="Operator">Which operation.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
public sealed record BinaryNode(int Position, BinaryOperator Operator, ExprNode Left, ExprNode Right) : ExprNode(Position);
