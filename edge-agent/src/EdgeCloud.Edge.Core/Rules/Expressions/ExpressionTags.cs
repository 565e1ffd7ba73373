namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Walks an expression tree to list the tags it reads.</summary>
public static class ExpressionTags
{
    /// <summary>Every tag reference in <paramref name="node"/>, in source order (repeats included).</summary>
    public static IReadOnlyList<TagNode> Collect(ExprNode node)
    {
        var tags = new List<TagNode>();
        Walk(node, tags);
        return tags;
    }

    private static void Walk(ExprNode node, List<TagNode> tags)
    {
        switch (node)
        {
            case TagNode tag:
                tags.Add(tag);
                break;
            case UnaryNode unary:
                Walk(unary.Operand, tags);
                break;
            case BinaryNode binary:
                Walk(binary.Left, tags);
                Walk(binary.Right, tags);
                break;
            case CallNode call:
                foreach (var argument in call.Arguments)
                {
                    Walk(argument, tags);
                }

                break;
            case WindowNode window:
                tags.Add(window.Tag);
                break;
            default:
                break;
        }
    }
}
