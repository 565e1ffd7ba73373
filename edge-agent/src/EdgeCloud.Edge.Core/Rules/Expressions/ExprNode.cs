namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>
/// A node of a parsed rule expression. Immutable; <see cref="Position"/> is the 0-based index in
/// the source text where the node starts, so a later error (an unknown tag) can point at it.
/// </summary>
/// <param name="Position">Where the node starts in the expression text (0-based).</param>
public abstract record ExprNode(int Position);
