namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>An aggregate of one tag's samples over a time window, e.g. <c>avg(plc/temp, 60s)</c>.</summary>
/// <param name="Position">Where the function name starts.</param>
/// <param name="Function">Which aggregate.</param>
/// <param name="Tag">The tag aggregated.</param>
/// <param name="Window">How far back from the evaluation time samples count; positive and bounded.</param>
public sealed record WindowNode(int Position, WindowFunction Function, TagNode Tag, TimeSpan Window) : ExprNode(Position);
