using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Evaluation;
using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Tests.Evaluation;

public class ExpressionCompilerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TagTable _tags = new();
    private readonly EvaluationContext _context = new();

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("7 % 4", 3)]
    [InlineData("-2 - -3", 1)]
    [InlineData("1 < 2 and 2 >= 2", 1)]
    [InlineData("1 == 2 or not false", 1)]
    [InlineData("1 != 1", 0)]
    [InlineData("if(0, 10, 20)", 20)]
    [InlineData("abs(-4) + sqrt(9)", 7)]
    [InlineData("min(4, 2, 8) + max(1, 5)", 7)]
    [InlineData("if(1 and 0, 1, if(0 or 1, 2 + min(3, if(1, 4, 5) * 2), 9)) * 10", 50)]
    [InlineData("not (1 > 2) and (0 or 3) and 2 * 3 == 6", 1)]
    [InlineData("max(1 + 1, 2 * 3 - 1, if(0, 100, -(4 % 3)), abs(-7))", 7)]
    [InlineData("1 - 2 - 3 + 10 / 5 / 2", -3)]
    public void Evaluate_Constants_ComputesValue(string text, double expected)
    {
        Assert.Equal(expected, Evaluate(text), 9);
        Assert.Equal(ExpressionFault.None, _context.Fault);
    }

    [Fact]
    public void Evaluate_Tags_ReadsLatestValues()
    {
        Set("plc/temp", 30, 0);
        Set("plc/flow", 4, 0);

        Assert.Equal(1, Evaluate("plc/temp > 25 and plc/flow < 5"));
        Assert.Equal(7.5, Evaluate("plc/temp / plc/flow"));
    }

    [Fact]
    public void Evaluate_DivisionByZero_FaultWithPosition()
    {
        Set("plc/flow", 0, 0);

        var value = Evaluate("10 + 1 / plc/flow");

        Assert.True(double.IsNaN(value));
        Assert.Equal(ExpressionFault.DivisionByZero, _context.Fault);
        Assert.Equal(7, _context.FaultPosition);
    }

    [Fact]
    public void Evaluate_ShortCircuit_SkipsDivisionByZero()
    {
        Set("plc/flow", 0, 0);

        Assert.Equal(0, Evaluate("plc/flow != 0 and 1 / plc/flow > 2"));
        Assert.Equal(ExpressionFault.None, _context.Fault);
    }

    [Fact]
    public void Evaluate_MissingAndBadInputs_Fault()
    {
        Assert.True(double.IsNaN(Evaluate("plc/never + 1")));
        Assert.Equal(ExpressionFault.MissingInput, _context.Fault);

        _tags.GetOrAdd("plc/bad").Update(new DataPoint("plc", "bad", T0, TagValue.None, PointQuality.BadTimeout));
        Assert.True(double.IsNaN(Evaluate("plc/bad + 1")));
        Assert.Equal(ExpressionFault.BadInput, _context.Fault);
    }

    [Fact]
    public void Evaluate_Overflow_NotFinite()
    {
        Set("plc/big", 1e300, 0);

        Assert.True(double.IsNaN(Evaluate("plc/big * plc/big")));
        Assert.Equal(ExpressionFault.NotFinite, _context.Fault);
    }

    [Fact]
    public void Evaluate_SqrtOfNegative_Fault()
    {
        Assert.True(double.IsNaN(Evaluate("sqrt(-1)")));
        Assert.Equal(ExpressionFault.NegativeRoot, _context.Fault);
    }

    [Fact]
    public void Evaluate_WindowAggregates_OnlySamplesInsideWindow()
    {
        var avg = Compile("avg(plc/t, 10s)");
        var min = Compile("min(plc/t, 10s)");
        var max = Compile("max(plc/t, 10s)");
        var stddev = Compile("stddev(plc/t, 10s)");
        Set("plc/t", 100, 0);  // falls out of the 10 s window below
        Set("plc/t", 2, 5);
        Set("plc/t", 4, 10);
        Set("plc/t", 6, 15);

        Assert.Equal(4, Run(avg, 15));
        Assert.Equal(2, Run(min, 15));
        Assert.Equal(6, Run(max, 15));
        Assert.Equal(Math.Sqrt(8.0 / 3), Run(stddev, 15), 9);
    }

    [Fact]
    public void Evaluate_WindowWithoutSamples_NotEnoughSamples()
    {
        var avg = Compile("avg(plc/t, 10s)");
        Set("plc/t", 2, 0);

        Assert.True(double.IsNaN(Run(avg, 60)));
        Assert.Equal(ExpressionFault.NotEnoughSamples, _context.Fault);
    }

    [Fact]
    public void Evaluate_Rate_ChangePerSecondOfLastTwoSamples()
    {
        var rate = Compile("rate(plc/level)");
        Set("plc/level", 10, 0);
        Assert.True(double.IsNaN(Run(rate, 0)));
        Assert.Equal(ExpressionFault.NotEnoughSamples, _context.Fault);

        Set("plc/level", 16, 2);
        Assert.Equal(3, Run(rate, 2));
    }

    [Fact]
    public void Compile_RepeatedTag_ListedOnceAsInput()
    {
        var compiled = Compile("plc/a + plc/a * plc/b");

        Assert.Equal(["plc/a", "plc/b"], compiled.Inputs.Select(s => s.Address));
    }

    [Theory]
    [InlineData("plc/a > 3", 1)]
    [InlineData("plc/a + 1 > 3", 4)]
    [InlineData("plc/a > 3 and plc/b < 2", 4)]
    public void Compile_Conditions_FlatProgramOfFewInstructions(string text, int length)
    {
        Assert.Equal(length, Compile(text).Length);
    }

    [Fact]
    public void Evaluate_OrWithFaultedLeft_EvaluatesRightAndKeepsFirstFault()
    {
        Set("plc/x", 0, 0);

        var value = Evaluate("1 / plc/x > 2 or plc/x == 0");

        Assert.Equal(1, value);
        Assert.Equal(ExpressionFault.DivisionByZero, _context.Fault);
    }

    private double Evaluate(string text) => Run(Compile(text), 0);

    private CompiledExpression Compile(string text)
    {
        Assert.True(ExpressionParser.TryParse(text, out var node, out var error), error?.ToString());
        return ExpressionCompiler.Compile(text, node, _tags);
    }

    private double Run(CompiledExpression expression, double atSeconds)
    {
        _context.Reset(T0.AddSeconds(atSeconds).UtcTicks);
        return expression.Evaluate(_context);
    }

    private void Set(string address, double value, double atSeconds)
    {
        var slot = _tags.GetOrAdd(address);
        slot.Update(new DataPoint(slot.Device, slot.Tag, T0.AddSeconds(atSeconds), TagValue.FromNumber(value), PointQuality.Good));
    }
}
