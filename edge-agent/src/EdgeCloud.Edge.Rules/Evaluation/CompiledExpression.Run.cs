using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>The interpreter loop of <see cref="CompiledExpression"/>.</summary>
internal sealed partial class CompiledExpression
{
    private double Run(EvaluationContext c)
    {
        var code = _code;
        var stack = _stack;
        var top = -1;
        var pc = 0;
        while (pc < code.Length)
        {
            ref readonly var i = ref code[pc++];
            switch (i.Op)
            {
                case OpCode.Constant:
                    stack[++top] = i.Constant;
                    break;
                case OpCode.Load:
                    stack[++top] = c.Read(_slots[i.Operand], i.Position);
                    break;
                case OpCode.LoadCompare:
                    stack[++top] = Compare(i.Compare, c.Read(_slots[i.Operand], i.Position), i.Constant);
                    break;
                case OpCode.CompareConstant:
                    stack[top] = Compare(i.Compare, stack[top], i.Constant);
                    break;
                case OpCode.Compare:
                    top--;
                    stack[top] = Compare(i.Compare, stack[top], stack[top + 1]);
                    break;
                case OpCode.Negate:
                    stack[top] = -stack[top];
                    break;
                case OpCode.Not:
                    stack[top] = Truth(stack[top]) ? 0 : 1;
                    break;
                case OpCode.Add:
                    top--;
                    stack[top] += stack[top + 1];
                    break;
                case OpCode.Subtract:
                    top--;
                    stack[top] -= stack[top + 1];
                    break;
                case OpCode.Multiply:
                    top--;
                    stack[top] *= stack[top + 1];
                    break;
                case OpCode.Divide:
                case OpCode.Modulo:
                    top--;
                    var divisor = stack[top + 1];
                    stack[top] = divisor == 0 ? c.Fail(ExpressionFault.DivisionByZero, i.Position)
                        : i.Op == OpCode.Divide ? stack[top] / divisor : stack[top] % divisor;
                    break;
                case OpCode.Truth:
                    stack[top] = Truth(stack[top]) ? 1 : 0;
                    break;
                case OpCode.AndJump:
                    if (!Truth(stack[top]))
                    {
                        stack[top] = 0;
                        pc = i.Operand;
                    }
                    else
                    {
                        top--;
                    }

                    break;
                case OpCode.OrJump:
                    if (Truth(stack[top]))
                    {
                        stack[top] = 1;
                        pc = i.Operand;
                    }
                    else
                    {
                        top--;
                    }

                    break;
                case OpCode.JumpIfFalse:
                    if (!Truth(stack[top--]))
                    {
                        pc = i.Operand;
                    }

                    break;
                case OpCode.Jump:
                    pc = i.Operand;
                    break;
                case OpCode.Abs:
                    stack[top] = Math.Abs(stack[top]);
                    break;
                case OpCode.Sqrt:
                    stack[top] = stack[top] < 0 ? c.Fail(ExpressionFault.NegativeRoot, i.Position) : Math.Sqrt(stack[top]);
                    break;
                case OpCode.Min:
                case OpCode.Max:
                    top -= i.Operand - 1;
                    var result = stack[top];
                    for (var k = 1; k < i.Operand; k++)
                    {
                        result = i.Op == OpCode.Min ? Math.Min(result, stack[top + k]) : Math.Max(result, stack[top + k]);
                    }

                    stack[top] = result;
                    break;
                case OpCode.Rate:
                    stack[++top] = Rate(c, _slots[i.Operand], i.Position);
                    break;
                default:
                    var (window, function) = _windows[i.Operand];
                    stack[++top] = window.TryAggregate(function, c.NowTicks - i.Span, out var aggregate)
                        ? aggregate
                        : c.Fail(ExpressionFault.NotEnoughSamples, i.Position);
                    break;
            }
        }

        return stack[top];
    }

    private static double Compare(BinaryOperator comparison, double left, double right) => comparison switch
    {
        BinaryOperator.Less => left < right ? 1 : 0,
        BinaryOperator.LessOrEqual => left <= right ? 1 : 0,
        BinaryOperator.Greater => left > right ? 1 : 0,
        BinaryOperator.GreaterOrEqual => left >= right ? 1 : 0,
        BinaryOperator.Equal => left == right ? 1 : 0,
        _ => left != right ? 1 : 0,
    };

    private static double Rate(EvaluationContext c, TagSlot slot, int position)
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
    }

    /// <summary>Non-zero is true; NaN (a faulted operand) is false, and the fault is already recorded.</summary>
    private static bool Truth(double value) => value != 0 && !double.IsNaN(value);
}
