using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>The function and window part of <see cref="ExpressionCompiler"/>.</summary>
internal static partial class ExpressionCompiler
{
    private sealed partial class Emitter
    {
        private void EmitCall(CallNode call)
        {
            var position = call.Position;
            switch (call.Function)
            {
                case ExprFunction.Rate:
                    Push(new Instruction(OpCode.Rate, default, Input((TagNode)call.Arguments[0]), position, 0, 0), +1);
                    return;
                case ExprFunction.If:
                    // condition; JumpIfFalse else; then; Jump end; else: otherwise; end:
                    Emit(call.Arguments[0]);
                    var toElse = Code.Count;
                    Push(new Instruction(OpCode.JumpIfFalse, default, 0, position, 0, 0), -1);
                    Emit(call.Arguments[1]);
                    var toEnd = Code.Count;
                    Push(new Instruction(OpCode.Jump, default, 0, position, 0, 0), -1); // only one branch's value stays on the stack
                    Code[toElse] = Code[toElse] with { Operand = Code.Count };
                    Emit(call.Arguments[2]);
                    Code[toEnd] = Code[toEnd] with { Operand = Code.Count };
                    return;
                case ExprFunction.Abs:
                case ExprFunction.Sqrt:
                    Emit(call.Arguments[0]);
                    Push(new Instruction(call.Function == ExprFunction.Abs ? OpCode.Abs : OpCode.Sqrt, default, 0, position, 0, 0), 0);
                    return;
                default:
                    foreach (var argument in call.Arguments)
                    {
                        Emit(argument);
                    }

                    var count = call.Arguments.Count;
                    Push(new Instruction(call.Function == ExprFunction.Min ? OpCode.Min : OpCode.Max, default, count, position, 0, 0), 1 - count);
                    return;
            }
        }

        private void EmitWindow(WindowNode node)
        {
            var slot = tags.GetOrAdd(node.Tag.Device, node.Tag.Tag);
            Input(node.Tag);
            if (slot.Window is null)
            {
                slot.Window = new SampleWindow(node.Window);
            }
            else
            {
                slot.Window.Require(node.Window);
            }

            var index = Windows.IndexOf((slot.Window, node.Function));
            if (index < 0)
            {
                Windows.Add((slot.Window, node.Function));
                index = Windows.Count - 1;
            }

            Push(new Instruction(OpCode.Window, default, index, node.Position, 0, node.Window.Ticks), +1);
        }
    }
}
