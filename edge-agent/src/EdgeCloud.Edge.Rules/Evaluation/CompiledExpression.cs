using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// An expression compiled to a flat program over a value stack (<see cref="Instruction"/>): one
/// loop, no delegate per node, nothing but the language's operations over the engine's tag slots.
/// Evaluating it never throws: a run-time problem (division by zero, a missing or bad input) comes
/// back as NaN with a fault in the context. Not thread-safe: the stack belongs to the expression,
/// and the engine evaluates under its lock.
/// </summary>
internal sealed partial class CompiledExpression
{
    private readonly Instruction[] _code;
    private readonly TagSlot[] _slots;
    private readonly (SampleWindow Window, WindowFunction Function)[] _windows;
    private readonly double[] _stack;

    public CompiledExpression(string text, Instruction[] code, TagSlot[] slots, (SampleWindow, WindowFunction)[] windows, int maxDepth)
    {
        Text = text;
        _code = code;
        _slots = slots;
        _windows = windows;
        _stack = new double[Math.Max(1, maxDepth)];
    }

    public string Text { get; }

    /// <summary>Every slot the expression reads (deduplicated).</summary>
    public IReadOnlyList<TagSlot> Inputs => _slots;

    /// <summary>The program's length, for tests and diagnostics.</summary>
    public int Length => _code.Length;

    /// <summary>Evaluates at the context's time; a non-finite result without a cause is a <see cref="ExpressionFault.NotFinite"/> fault.</summary>
    public double Evaluate(EvaluationContext context)
    {
        var value = Run(context);
        if (context.Fault == ExpressionFault.None && !double.IsFinite(value))
        {
            return context.Fail(ExpressionFault.NotFinite, 0);
        }

        return value;
    }
}
