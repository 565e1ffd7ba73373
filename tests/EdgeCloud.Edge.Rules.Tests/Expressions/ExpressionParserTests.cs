using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Tests.Expressions;

public class ExpressionParserTests
{
    [Fact]
    public void TryParse_Precedence_MultiplicationBindsTighterThanAddition()
    {
        var node = Parse("1 + 2 * 3");

        var add = Assert.IsType<BinaryNode>(node);
        Assert.Equal(BinaryOperator.Add, add.Operator);
        Assert.Equal(BinaryOperator.Multiply, Assert.IsType<BinaryNode>(add.Right).Operator);
    }

    [Fact]
    public void TryParse_BareAndQuotedTags_BothBecomeTagNodes()
    {
        var node = Assert.IsType<BinaryNode>(Parse("plc/temp > 'plc-1/temp.max'"));

        Assert.Equal("plc/temp", Assert.IsType<TagNode>(node.Left).Address);
        Assert.Equal("plc-1/temp.max", Assert.IsType<TagNode>(node.Right).Address);
    }

    [Fact]
    public void TryParse_DivisionWithSpaces_DividesTwoTags()
    {
        var node = Assert.IsType<BinaryNode>(Parse("a/x / b/y"));

        Assert.Equal(BinaryOperator.Divide, node.Operator);
        Assert.Equal("a/x", Assert.IsType<TagNode>(node.Left).Address);
        Assert.Equal("b/y", Assert.IsType<TagNode>(node.Right).Address);
    }

    [Fact]
    public void TryParse_LogicWordsAndSymbols_Parse()
    {
        var node = Assert.IsType<BinaryNode>(Parse("not a/b > 1 and (c/d <= 2 || !true)"));

        Assert.Equal(BinaryOperator.And, node.Operator);
        Assert.Equal(UnaryOperator.Not, Assert.IsType<UnaryNode>(node.Left).Operator);
    }

    [Theory]
    [InlineData("avg(plc/temp, 60s)", WindowFunction.Avg, 60)]
    [InlineData("min(plc/temp, 5m)", WindowFunction.Min, 300)]
    [InlineData("max(plc/temp, 1h)", WindowFunction.Max, 3600)]
    [InlineData("stddev(plc/temp, 500ms)", WindowFunction.StdDev, 0.5)]
    public void TryParse_WindowFunction_CarriesTagAndWindow(string text, WindowFunction function, double seconds)
    {
        var node = Assert.IsType<WindowNode>(Parse(text));

        Assert.Equal(function, node.Function);
        Assert.Equal("plc/temp", node.Tag.Address);
        Assert.Equal(TimeSpan.FromSeconds(seconds), node.Window);
    }

    [Fact]
    public void TryParse_MinOfValues_IsScalarCall()
    {
        var node = Assert.IsType<CallNode>(Parse("min(a/b, 3, c/d + 1)"));

        Assert.Equal(ExprFunction.Min, node.Function);
        Assert.Equal(3, node.Arguments.Count);
    }

    [Theory]
    [InlineData("1 +", 3, "expected a number, a tag, a function call or '('")]
    [InlineData("(1 + 2", 6, "expected ')' to close the '(' at character 1")]
    [InlineData("foo(1)", 0, "unknown function 'foo'")]
    [InlineData("temp > 3", 0, "'temp' is neither a function call nor a tag")]
    [InlineData("a/b = 3", 4, "'=' is not an operator")]
    [InlineData("1 < 2 < 3", 6, "comparisons do not chain")]
    [InlineData("avg(a/b)", 0, "avg over a window takes a tag and a duration")]
    [InlineData("avg(a/b, 0s)", 9, "out of range")]
    [InlineData("if(1, 2)", 0, "if takes 3 arguments, found 2")]
    [InlineData("rate(1)", 0, "rate takes one argument, a tag")]
    [InlineData("a/b + 10x", 8, "unknown unit 'x'")]
    [InlineData("'a/b", 0, "unterminated quoted tag")]
    [InlineData("1 2", 2, "expected an operator or the end of the expression, found number 2")]
    [InlineData("a/b # 2", 4, "unexpected character '#'")]
    [InlineData("", 0, "expected an expression, found nothing")]
    public void TryParse_BadText_NamesPositionAndExpectation(string text, int position, string message)
    {
        Assert.False(ExpressionParser.TryParse(text, out _, out var error));

        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"at character {position + 1}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooDeep_Refused()
    {
        var text = new string('(', ExpressionLimits.MaxDepth + 1) + "1" + new string(')', ExpressionLimits.MaxDepth + 1);

        Assert.False(ExpressionParser.TryParse(text, out _, out var error));
        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeepUnaryChain_RefusedWithoutStackOverflow()
    {
        Assert.False(ExpressionParser.TryParse(new string('-', 900) + "1", out _, out var error));
        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooLong_Refused()
    {
        var text = string.Join(" + ", Enumerable.Repeat("1", ExpressionLimits.MaxLength));

        Assert.False(ExpressionParser.TryParse(text, out _, out var error));
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_AllTagReferences_InSourceOrder()
    {
        var tags = ExpressionTags.Collect(Parse("if(a/x > 1, avg(b/y, 10s), rate(c/z))"));

        Assert.Equal(["a/x", "b/y", "c/z"], tags.Select(t => t.Address));
    }

    private static ExprNode Parse(string text)
    {
        Assert.True(ExpressionParser.TryParse(text, out var node, out var error), error?.ToString());
        return node;
    }
}
