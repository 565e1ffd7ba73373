using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>The function part of <see cref="ExpressionCompiler"/>.</summary>
internal static partial class ExpressionCompiler
{
    private static Evaluator Call(CallNode call, TagTable tags, List<TagSlot> inputs)
    {
        var position = call.Position;
        if (call.Function == ExprFunction.Rate)
        {
            return Rate(Input((TagNode)call.Arguments[0], tags, inputs), position);
        }

        var args = call.Arguments.Select(a => Build(a, tags, inputs)).ToArray();
        switch (call.Function)
        {
            case ExprFunction.If:
                var (condition, then, otherwise) = (args[0], args[1], args[2]);
                return c => Truth(condition(c)) ? then(c) : otherwise(c);
            case ExprFunction.Abs:
                var abs = args[0];
                return c => Math.Abs(abs(c));
            case ExprFunction.Sqrt:
                var root = args[0];
                return c =>
                {
                    var v = root(c);
                    return v < 0 ? c.Fail(ExpressionFault.NegativeRoot, position) : Math.Sqrt(v);
                };
            case ExprFunction.Min:
                return c =>
                {
                    var result = args[0](c);
                    for (var i = 1; i < args.Length; i++)
                    {
                        result = Math.Min(result, args[i](c));
                    }

                    return result;
                };
            case ExprFunction.Max:
            default:
                return c =>
                {
                    var result = args[0](c);
                    for (var i = 1; i < args.Length; i++)
                    {
                        result = Math.Max(result, args[i](c));
                    }

                    return result;
                };
        }
    }

    private static Evaluator Rate(TagSlot slot, int position) => c =>
    {
        var current = c.Read(slot, position);
        if (double.IsNaN(current))
        {
            return current;
        }

        if (!slot.HasPrevious)
        {
            return c.Fail(ExpressionFault.NotEnoughSamples, position);
        }

        var seconds = (slot.Ticks - slot.PreviousTicks) / (double)TimeSpan.TicksPerSecond;
        return (current - slot.PreviousValue) / seconds;
    };

    private static Evaluator Window(WindowNode node, TagSlot slot)
    {
        if (slot.Window is null)
        {
            slot.Window = new SampleWindow(node.Window);
        }
        else
        {
            slot.Window.Require(node.Window);
        }

        var window = slot.Window;
        var span = node.Window.Ticks;
        var function = node.Function;
        var position = node.Position;
        return c => window.TryAggregate(function, c.NowTicks - span, out var result)
            ? result
            : c.Fail(ExpressionFault.NotEnoughSamples, position);
    }
}
