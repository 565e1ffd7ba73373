using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// Compiles a parsed expression into closures bound to <see cref="TagTable"/> slots. Booleans are
/// 1 and 0; a condition is true when its value is non-zero. <c>and</c>, <c>or</c> and <c>if</c>
/// evaluate only what they need, so <c>x/b != 0 and a/b / x/b &gt; 2</c> never divides by zero.
/// </summary>
internal static partial class ExpressionCompiler
{
    public static CompiledExpression Compile(string text, ExprNode node, TagTable tags)
    {
        var inputs = new List<TagSlot>();
        var evaluator = Build(node, tags, inputs);
        return new CompiledExpression(text, evaluator, inputs);
    }

    private static Evaluator Build(ExprNode node, TagTable tags, List<TagSlot> inputs) => node switch
    {
        NumberNode number => Constant(number.Value),
        BooleanNode boolean => Constant(boolean.Value ? 1 : 0),
        TagNode tag => Tag(Input(tag, tags, inputs), tag.Position),
        UnaryNode unary => Unary(unary, Build(unary.Operand, tags, inputs)),
        BinaryNode { Right: NumberNode limit } compare when IsComparison(compare.Operator) => CompareToConstant(compare, limit.Value, tags, inputs),
        BinaryNode binary => Binary(binary, Build(binary.Left, tags, inputs), Build(binary.Right, tags, inputs)),
        CallNode call => Call(call, tags, inputs),
        WindowNode window => Window(window, Input(window.Tag, tags, inputs)),
        _ => throw new ArgumentException($"unknown expression node {node.GetType().Name}", nameof(node)),
    };

    private static TagSlot Input(TagNode tag, TagTable tags, List<TagSlot> inputs)
    {
        var slot = tags.GetOrAdd(tag.Device, tag.Tag);
        if (!inputs.Contains(slot))
        {
            inputs.Add(slot);
        }

        return slot;
    }

    private static Evaluator Constant(double value) => _ => value;

    private static Evaluator Tag(TagSlot slot, int position) => c => c.Read(slot, position);

    private static Evaluator Unary(UnaryNode node, Evaluator operand) => node.Operator switch
    {
        UnaryOperator.Negate => c => -operand(c),
        _ => c => Truth(operand(c)) ? 0 : 1,
    };

    private static Evaluator Binary(BinaryNode node, Evaluator left, Evaluator right)
    {
        var position = node.Position;
        return node.Operator switch
        {
            BinaryOperator.Add => c => left(c) + right(c),
            BinaryOperator.Subtract => c => left(c) - right(c),
            BinaryOperator.Multiply => c => left(c) * right(c),
            BinaryOperator.Divide => Divide(left, right, position, modulo: false),
            BinaryOperator.Modulo => Divide(left, right, position, modulo: true),
            BinaryOperator.Less => c => left(c) < right(c) ? 1 : 0,
            BinaryOperator.LessOrEqual => c => left(c) <= right(c) ? 1 : 0,
            BinaryOperator.Greater => c => left(c) > right(c) ? 1 : 0,
            BinaryOperator.GreaterOrEqual => c => left(c) >= right(c) ? 1 : 0,
            BinaryOperator.Equal => c => left(c) == right(c) ? 1 : 0,
            BinaryOperator.NotEqual => c => left(c) != right(c) ? 1 : 0,
            BinaryOperator.And => c => Truth(left(c)) && Truth(right(c)) ? 1 : 0,
            _ => c => Truth(left(c)) || Truth(right(c)) ? 1 : 0,
        };
    }

    /// <summary>Division and modulo: a zero divisor is a fault at the operator, never an infinity.</summary>
    private static Evaluator Divide(Evaluator left, Evaluator right, int position, bool modulo) => c =>
    {
        var l = left(c);
        var r = right(c);
        if (r == 0)
        {
            return c.Fail(ExpressionFault.DivisionByZero, position);
        }

        return modulo ? l % r : l / r;
    };

    private static bool IsComparison(BinaryOperator op) => op is >= BinaryOperator.Less and <= BinaryOperator.NotEqual;

    /// <summary>
    /// <c>x &lt;op&gt; constant</c>, the most common condition, as one closure (two when x is not a
    /// tag) instead of three: the benchmark showed the closure tree's pointer chasing, not the
    /// comparisons, is what an expression rule costs.
    /// </summary>
    private static Evaluator CompareToConstant(BinaryNode node, double k, TagTable tags, List<TagSlot> inputs)
    {
        if (node.Left is TagNode tag)
        {
            var slot = Input(tag, tags, inputs);
            var position = tag.Position;
            return node.Operator switch
            {
                BinaryOperator.Less => c => c.Read(slot, position) < k ? 1 : 0,
                BinaryOperator.LessOrEqual => c => c.Read(slot, position) <= k ? 1 : 0,
                BinaryOperator.Greater => c => c.Read(slot, position) > k ? 1 : 0,
                BinaryOperator.GreaterOrEqual => c => c.Read(slot, position) >= k ? 1 : 0,
                BinaryOperator.Equal => c => c.Read(slot, position) == k ? 1 : 0,
                _ => c => c.Read(slot, position) != k ? 1 : 0,
            };
        }

        var left = Build(node.Left, tags, inputs);
        return node.Operator switch
        {
            BinaryOperator.Less => c => left(c) < k ? 1 : 0,
            BinaryOperator.LessOrEqual => c => left(c) <= k ? 1 : 0,
            BinaryOperator.Greater => c => left(c) > k ? 1 : 0,
            BinaryOperator.GreaterOrEqual => c => left(c) >= k ? 1 : 0,
            BinaryOperator.Equal => c => left(c) == k ? 1 : 0,
            _ => c => left(c) != k ? 1 : 0,
        };
    }

    /// <summary>Non-zero is true; NaN (a faulted operand) is false, and the fault is already recorded.</summary>
    private static bool Truth(double value) => value != 0 && !double.IsNaN(value);
}
