namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// An expression compiled to a tree of closures: no reflection, no code generation, nothing but
/// the language's operations over the engine's tag slots. Evaluating it never throws: a run-time
/// problem (division by zero, a missing or bad input) comes back as NaN with a fault in the context.
/// </summary>
internal sealed class CompiledExpression(string text, Evaluator evaluator, IReadOnlyList<TagSlot> inputs)
{
    public string Text { get; } = text;

    /// <summary>Every slot the expression reads (deduplicated).</summary>
    public IReadOnlyList<TagSlot> Inputs { get; } = inputs;

    /// <summary>Evaluates at the context's time; a non-finite result without a cause is a <see cref="ExpressionFault.NotFinite"/> fault.</summary>
    public double Evaluate(EvaluationContext context)
    {
        var value = evaluator(context);
        if (context.Fault == ExpressionFault.None && !double.IsFinite(value))
        {
            return context.Fail(ExpressionFault.NotFinite, 0);
        }

        return value;
    }
}
