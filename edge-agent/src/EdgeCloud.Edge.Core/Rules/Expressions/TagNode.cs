namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>A tag reference, <c>device/tag</c> or <c>'device/tag'</c>.</summary>
/// <param name="Position">Where it starts.</param>
/// <param name="Device">Device name.</param>
/// <param name="Tag">Tag name.</param>
public sealed record TagNode(int Position, string Device, string Tag) : ExprNode(Position)
{
    /// <summary>The tag's address inside the agent.</summary>
    public string Address => Device + "/" + Tag;
}
