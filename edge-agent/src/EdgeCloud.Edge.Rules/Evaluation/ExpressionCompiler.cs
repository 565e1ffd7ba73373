using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// Compiles a parsed expression into a flat program (<see cref="Instruction"/>s over a value stack)
/// bound to <see cref="TagTable"/> slots: no reflection, no code generation. Booleans are 1 and 0; a
/// condition is true when its value is non-zero. <c>and</c>, <c>or</c> and <c>if</c> jump over what
/// they need not evaluate, so <c>x/b != 0 and a/b / x/b &gt; 2</c> never divides by zero.
/// </summary>
internal static partial class ExpressionCompiler
{
    public static CompiledExpression Compile(string text, ExprNode node, TagTable tags)
    {
        var emitter = new Emitter(tags);
        emitter.Emit(node);
        return new CompiledExpression(text, [.. emitter.Code], [.. emitter.Slots], [.. emitter.Windows], emitter.MaxDepth);
    }

    /// <summary>Emits instructions in post-order, tracking the stack depth so the program knows how deep its stack must be.</summary>
    private sealed partial class Emitter(TagTable tags)
    {
        private int _depth;

        public List<Instruction> Code { get; } = [];

        /// <summary>Every slot the expression reads (deduplicated), indexed by <see cref="OpCode.Load"/>.</summary>
        public List<TagSlot> Slots { get; } = [];

        /// <summary>The windows and what of them each <see cref="OpCode.Window"/> computes.</summary>
        public List<(SampleWindow Window, WindowFunction Function)> Windows { get; } = [];

        public int MaxDepth { get; private set; }

        public void Emit(ExprNode node)
        {
            switch (node)
            {
                case NumberNode number:
                    Push(new Instruction(OpCode.Constant, default, 0, number.Position, number.Value, 0), +1);
                    break;
                case BooleanNode boolean:
                    Push(new Instruction(OpCode.Constant, default, 0, boolean.Position, boolean.Value ? 1 : 0, 0), +1);
                    break;
                case TagNode tag:
                    Push(new Instruction(OpCode.Load, default, Input(tag), tag.Position, 0, 0), +1);
                    break;
                case UnaryNode unary:
                    Emit(unary.Operand);
                    Push(new Instruction(unary.Operator == UnaryOperator.Negate ? OpCode.Negate : OpCode.Not, default, 0, unary.Position, 0, 0), 0);
                    break;
                case BinaryNode binary:
                    EmitBinary(binary);
                    break;
                case CallNode call:
                    EmitCall(call);
                    break;
                case WindowNode window:
                    EmitWindow(window);
                    break;
                default:
                    throw new ArgumentException($"unknown expression node {node.GetType().Name}", nameof(node));
            }
        }

        private void EmitBinary(BinaryNode node)
        {
            if (node.Operator is >= BinaryOperator.Less and <= BinaryOperator.NotEqual)
            {
                var comparison = node.Operator;
                if (node.Right is NumberNode limit)
                {
                    // `x <op> constant`, the most common condition: one instruction when x is a tag, two otherwise.
                    if (node.Left is TagNode tag)
                    {
                        Push(new Instruction(OpCode.LoadCompare, comparison, Input(tag), tag.Position, limit.Value, 0), +1);
                        return;
                    }

                    Emit(node.Left);
                    Push(new Instruction(OpCode.CompareConstant, comparison, 0, node.Position, limit.Value, 0), 0);
                    return;
                }

                Emit(node.Left);
                Emit(node.Right);
                Push(new Instruction(OpCode.Compare, comparison, 0, node.Position, 0, 0), -1);
                return;
            }

            if (node.Operator is BinaryOperator.And or BinaryOperator.Or)
            {
                Emit(node.Left);
                var jump = Code.Count;
                Push(new Instruction(node.Operator == BinaryOperator.And ? OpCode.AndJump : OpCode.OrJump, default, 0, node.Position, 0, 0), -1);
                Emit(node.Right);
                Push(new Instruction(OpCode.Truth, default, 0, node.Position, 0, 0), 0);
                Code[jump] = Code[jump] with { Operand = Code.Count };
                return;
            }

            Emit(node.Left);
            Emit(node.Right);
            var op = node.Operator switch
            {
                BinaryOperator.Add => OpCode.Add,
                BinaryOperator.Subtract => OpCode.Subtract,
                BinaryOperator.Multiply => OpCode.Multiply,
                BinaryOperator.Divide => OpCode.Divide,
                _ => OpCode.Modulo,
            };
            Push(new Instruction(op, default, 0, node.Position, 0, 0), -1);
        }

        private int Input(TagNode tag)
        {
            var slot = tags.GetOrAdd(tag.Device, tag.Tag);
            var index = Slots.IndexOf(slot);
            if (index < 0)
            {
                Slots.Add(slot);
                index = Slots.Count - 1;
            }

            return index;
        }

        /// <summary>Appends an instruction that changes the stack depth by <paramref name="effect"/>.</summary>
        private void Push(Instruction instruction, int effect)
        {
            Code.Add(instruction);
            _depth += effect;
            MaxDepth = Math.Max(MaxDepth, _depth);
        }
    }
}
