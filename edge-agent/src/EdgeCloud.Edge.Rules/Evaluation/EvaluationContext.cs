using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// The scratch state of one evaluation, reused for every evaluation on the rule engine's thread
/// (no allocation per point). The first fault wins: later ones are consequences of it.
/// </summary>
internal sealed class EvaluationContext
{
    /// <summary>Evaluation time: the timestamp of the point being processed, UTC ticks.</summary>
    public long NowTicks { get; private set; }

    /// <summary>The first fault of this evaluation.</summary>
    public ExpressionFault Fault { get; private set; }

    /// <summary>Where in the expression the first fault happened (0-based).</summary>
    public int FaultPosition { get; private set; }

    /// <summary>Starts an evaluation at <paramref name="nowTicks"/>.</summary>
    public void Reset(long nowTicks)
    {
        NowTicks = nowTicks;
        Fault = ExpressionFault.None;
        FaultPosition = 0;
    }

    /// <summary>Records <paramref name="fault"/> (unless one is recorded already) and returns NaN.</summary>
    public double Fail(ExpressionFault fault, int position)
    {
        if (Fault == ExpressionFault.None)
        {
            Fault = fault;
            FaultPosition = position;
        }

        return double.NaN;
    }

    /// <summary>The value of a tag input, or NaN with a fault when it has none or a bad one.</summary>
    public double Read(TagSlot slot, int position)
    {
        if (!slot.HasValue)
        {
            return Fail(ExpressionFault.MissingInput, position);
        }

        if (slot.Quality.IsBad() || double.IsNaN(slot.Value))
        {
            return Fail(ExpressionFault.BadInput, position);
        }

        return slot.Value;
    }
}
