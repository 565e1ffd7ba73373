using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>The operations of a compiled expression; each pops its operands from the value stack and pushes its result.</summary>
internal enum OpCode : byte
{
    /// <summary>Push <see cref="Instruction.Constant"/>.</summary>
    Constant,

    /// <summary>Push the value of slot <see cref="Instruction.Operand"/> (a fault and NaN when missing or bad).</summary>
    Load,

    /// <summary>Push 1 when slot <see cref="Instruction.Operand"/> compares to <see cref="Instruction.Constant"/> as <see cref="Instruction.Compare"/> says, else 0: the common <c>tag &gt; 3</c> in one step.</summary>
    LoadCompare,

    /// <summary>Compare the top of the stack with <see cref="Instruction.Constant"/>.</summary>
    CompareConstant,

    /// <summary>Compare the two top values (<see cref="Instruction.Compare"/>).</summary>
    Compare,

    Negate,
    Not,
    Add,
    Subtract,
    Multiply,

    /// <summary>Divide; a zero divisor is a fault at <see cref="Instruction.Position"/>.</summary>
    Divide,

    /// <summary>Remainder; a zero divisor is a fault at <see cref="Instruction.Position"/>.</summary>
    Modulo,

    /// <summary>Replace the top with 1 when it is true (non-zero, not NaN), else 0.</summary>
    Truth,

    /// <summary><c>and</c>: pop; when false push 0 and jump to <see cref="Instruction.Operand"/> (the right side is not evaluated).</summary>
    AndJump,

    /// <summary><c>or</c>: pop; when true push 1 and jump to <see cref="Instruction.Operand"/>.</summary>
    OrJump,

    /// <summary>Pop; when false jump to <see cref="Instruction.Operand"/> (<c>if</c>'s else branch).</summary>
    JumpIfFalse,

    /// <summary>Jump to <see cref="Instruction.Operand"/>.</summary>
    Jump,

    Abs,

    /// <summary>Square root; a negative operand is a fault at <see cref="Instruction.Position"/>.</summary>
    Sqrt,

    /// <summary>Pop <see cref="Instruction.Operand"/> values, push the smallest.</summary>
    Min,

    /// <summary>Pop <see cref="Instruction.Operand"/> values, push the largest.</summary>
    Max,

    /// <summary>Push the change per second of slot <see cref="Instruction.Operand"/>.</summary>
    Rate,

    /// <summary>Push the aggregate of window entry <see cref="Instruction.Operand"/> over the last <see cref="Instruction.Span"/> ticks.</summary>
    Window,
}

/// <summary>
/// One step of a compiled expression. A flat array of these replaces the tree of closures: one
/// loop, no delegate call per node, the operands next to each other in memory.
/// </summary>
/// <param name="Op">What to do.</param>
/// <param name="Compare">The comparison operator (<c>&lt;</c> to <c>!=</c>) of the compare operations.</param>
/// <param name="Operand">Slot, window, jump target or argument count, by operation.</param>
/// <param name="Position">Where in the text the operation is, for faults.</param>
/// <param name="Constant">The constant of <see cref="OpCode.Constant"/> and the comparisons with a constant.</param>
/// <param name="Span">The window's length in ticks (<see cref="OpCode.Window"/>).</param>
internal readonly record struct Instruction(OpCode Op, BinaryOperator Compare, int Operand, int Position, double Constant, long Span);
