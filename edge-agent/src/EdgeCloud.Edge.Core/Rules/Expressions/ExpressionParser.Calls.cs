namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>The function-call part of <see cref="ExpressionParser"/>: names, argument counts and windows.</summary>
public static partial class ExpressionParser
{
    private const string KnownFunctions = "if, abs, min, max, sqrt, avg, stddev, rate";

    private static ExprNode ParseCall(State s, Token name, int depth)
    {
        var open = Expect(s, TokenKind.LeftParen, "'('");
        var args = new List<ExprNode>();
        var durations = new List<Token?>();
        if (s.Peek.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                if (s.Peek.Kind == TokenKind.Duration)
                {
                    durations.Add(s.Peek);
                    args.Add(new NumberNode(s.Peek.Position, s.Next().Number));
                }
                else
                {
                    durations.Add(null);
                    args.Add(ParseOr(s, depth));
                }

                if (s.Peek.Kind != TokenKind.Comma)
                {
                    break;
                }

                s.Next();
            }
        }

        Expect(s, TokenKind.RightParen, $"',' or ')' to close the call of {name.Text} opened at character {open.Position + 1}");
        return name.Text switch
        {
            "if" => Scalar(name, ExprFunction.If, args, durations, 3, 3),
            "abs" => Scalar(name, ExprFunction.Abs, args, durations, 1, 1),
            "sqrt" => Scalar(name, ExprFunction.Sqrt, args, durations, 1, 1),
            "rate" => Rate(name, args, durations),
            "min" when durations.Count == 2 && durations[1] is not null => Window(name, WindowFunction.Min, args, durations),
            "max" when durations.Count == 2 && durations[1] is not null => Window(name, WindowFunction.Max, args, durations),
            "min" => Scalar(name, ExprFunction.Min, args, durations, 2, ExpressionLimits.MaxArguments),
            "max" => Scalar(name, ExprFunction.Max, args, durations, 2, ExpressionLimits.MaxArguments),
            "avg" => Window(name, WindowFunction.Avg, args, durations),
            "stddev" => Window(name, WindowFunction.StdDev, args, durations),
            _ => throw Fail(name.Position, $"unknown function '{name.Text}' (expected one of: {KnownFunctions})"),
        };
    }

    private static CallNode Scalar(Token name, ExprFunction function, List<ExprNode> args, List<Token?> durations, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            var expected = min == max ? $"{min}" : $"{min} to {max}";
            throw Fail(name.Position, $"{name.Text} takes {expected} argument{(max == 1 ? "" : "s")}, found {args.Count}");
        }

        foreach (var duration in durations)
        {
            if (duration is { } d)
            {
                throw Fail(d.Position, $"a duration ({d.Text}) is not an argument of {name.Text}");
            }
        }

        return new CallNode(name.Position, function, args);
    }

    private static CallNode Rate(Token name, List<ExprNode> args, List<Token?> durations)
    {
        if (args.Count != 1 || args[0] is not TagNode || durations[0] is not null)
        {
            throw Fail(name.Position, "rate takes one argument, a tag: rate(device/tag)");
        }

        return new CallNode(name.Position, ExprFunction.Rate, args);
    }

    private static WindowNode Window(Token name, WindowFunction function, List<ExprNode> args, List<Token?> durations)
    {
        if (args.Count != 2 || args[0] is not TagNode tag || durations[1] is not { } window)
        {
            throw Fail(name.Position, $"{name.Text} over a window takes a tag and a duration: {name.Text}(device/tag, 60s)");
        }

        var span = TimeSpan.FromSeconds(window.Number);
        if (span <= TimeSpan.Zero || span > ExpressionLimits.MaxWindow)
        {
            throw Fail(window.Position, $"window {window.Text} is out of range (more than 0, at most 24h)");
        }

        return new WindowNode(name.Position, function, tag, span);
    }
}
