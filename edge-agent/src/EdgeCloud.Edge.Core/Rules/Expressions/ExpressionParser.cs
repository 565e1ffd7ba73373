using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>
/// Parses the rule expression language into an <see cref="ExprNode"/> tree by recursive descent.
/// Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>, comparisons (not chained),
/// <c>+ -</c>, <c>* / %</c>, unary minus. The first error stops the parse and names the position
/// and what was expected. Text longer than <see cref="ExpressionLimits.MaxLength"/> or nested
/// deeper than <see cref="ExpressionLimits.MaxDepth"/> is refused. Pure and thread-safe.
/// </summary>
public static partial class ExpressionParser
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ExprNode? node, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        node = null;
        error = null;
        try
        {
            if (text.Length > ExpressionLimits.MaxLength)
            {
                throw Fail(ExpressionLimits.MaxLength, $"expression is longer than {ExpressionLimits.MaxLength} characters");
            }

            var state = new State(Tokenizer.Tokenize(text));
            if (state.Peek.Kind == TokenKind.End)
            {
                throw Fail(0, "expected an expression, found nothing");
            }

            node = ParseOr(state, 0);
            if (state.Peek.Kind != TokenKind.End)
            {
                throw Fail(state.Peek.Position, $"expected an operator or the end of the expression, found {state.Peek.Describe()}");
            }

            return true;
        }
        catch (ExpressionSyntaxException ex)
        {
            error = ex.Error;
            return false;
        }
    }

    private static ExprNode ParseOr(State s, int depth)
    {
        var left = ParseAnd(s, Deeper(s, depth));
        while (s.Peek.Kind == TokenKind.OrOr || IsWord(s.Peek, "or"))
        {
            var op = s.Next();
            left = new BinaryNode(op.Position, BinaryOperator.Or, left, ParseAnd(s, Deeper(s, depth)));
        }

        return left;
    }

    private static ExprNode ParseAnd(State s, int depth)
    {
        var left = ParseNot(s, depth);
        while (s.Peek.Kind == TokenKind.AndAnd || IsWord(s.Peek, "and"))
        {
            var op = s.Next();
            left = new BinaryNode(op.Position, BinaryOperator.And, left, ParseNot(s, depth));
        }

        return left;
    }

    private static ExprNode ParseNot(State s, int depth)
    {
        if (s.Peek.Kind == TokenKind.Bang || IsWord(s.Peek, "not"))
        {
            var op = s.Next();
            return new UnaryNode(op.Position, UnaryOperator.Not, ParseNot(s, Deeper(s, depth)));
        }

        return ParseComparison(s, depth);
    }

    private static ExprNode ParseComparison(State s, int depth)
    {
        var left = ParseAdditive(s, depth);
        if (Comparison(s.Peek.Kind) is { } op)
        {
            var token = s.Next();
            var right = ParseAdditive(s, depth);
            if (Comparison(s.Peek.Kind) is not null)
            {
                throw Fail(s.Peek.Position, $"comparisons do not chain: found {s.Peek.Describe()} after a comparison (use 'and')");
            }

            return new BinaryNode(token.Position, op, left, right);
        }

        return left;
    }

    private static ExprNode ParseAdditive(State s, int depth)
    {
        var left = ParseMultiplicative(s, depth);
        while (s.Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = s.Next();
            var right = ParseMultiplicative(s, depth);
            left = new BinaryNode(op.Position, op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract, left, right);
        }

        return left;
    }

    private static ExprNode ParseMultiplicative(State s, int depth)
    {
        var left = ParseUnary(s, depth);
        while (s.Peek.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = s.Next();
            var kind = op.Kind switch
            {
                TokenKind.Star => BinaryOperator.Multiply,
                TokenKind.Slash => BinaryOperator.Divide,
                _ => BinaryOperator.Modulo,
            };
            left = new BinaryNode(op.Position, kind, left, ParseUnary(s, depth));
        }

        return left;
    }

    private static ExprNode ParseUnary(State s, int depth)
    {
        if (s.Peek.Kind == TokenKind.Minus)
        {
            var op = s.Next();
            return new UnaryNode(op.Position, UnaryOperator.Negate, ParseUnary(s, Deeper(s, depth)));
        }

        if (s.Peek.Kind == TokenKind.Plus)
        {
            s.Next();
            return ParseUnary(s, Deeper(s, depth));
        }

        return ParsePrimary(s, depth);
    }

    private static ExprNode ParsePrimary(State s, int depth)
    {
        var token = s.Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberNode(token.Position, token.Number);
            case TokenKind.Tag:
                return ToTag(token);
            case TokenKind.LeftParen:
                var inner = ParseOr(s, Deeper(s, depth));
                Expect(s, TokenKind.RightParen, "')' to close the '(' at character " + (token.Position + 1).ToString(CultureInfo.InvariantCulture));
                return inner;
            case TokenKind.Identifier when token.Text == "true":
                return new BooleanNode(token.Position, true);
            case TokenKind.Identifier when token.Text == "false":
                return new BooleanNode(token.Position, false);
            case TokenKind.Identifier when s.Peek.Kind == TokenKind.LeftParen:
                return ParseCall(s, token, Deeper(s, depth));
            case TokenKind.Identifier:
                throw Fail(token.Position, $"'{token.Text}' is neither a function call nor a tag (write a tag as device/tag or 'device/tag')");
            case TokenKind.Duration:
                throw Fail(token.Position, $"a duration ({token.Text}) may only be the window of avg, min, max or stddev");
            default:
                throw Fail(token.Position, $"expected a number, a tag, a function call or '(', found {token.Describe()}");
        }
    }

    private static TagNode ToTag(Token token)
    {
        var slash = token.Text.IndexOf('/', StringComparison.Ordinal);
        return new TagNode(token.Position, token.Text[..slash], token.Text[(slash + 1)..]);
    }

    private static int Deeper(State s, int depth)
    {
        if (depth + 1 > ExpressionLimits.MaxDepth)
        {
            throw Fail(s.Peek.Position, $"expression is nested deeper than {ExpressionLimits.MaxDepth} levels");
        }

        return depth + 1;
    }

    private static BinaryOperator? Comparison(TokenKind kind) => kind switch
    {
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
        TokenKind.Equal => BinaryOperator.Equal,
        TokenKind.NotEqual => BinaryOperator.NotEqual,
        _ => null,
    };

    private static bool IsWord(Token token, string word) =>
        token.Kind == TokenKind.Identifier && string.Equals(token.Text, word, StringComparison.Ordinal);

    private static Token Expect(State s, TokenKind kind, string what)
    {
        if (s.Peek.Kind != kind)
        {
            throw Fail(s.Peek.Position, $"expected {what}, found {s.Peek.Describe()}");
        }

        return s.Next();
    }

    private static ExpressionSyntaxException Fail(int position, string message) => new(new ExpressionError(position, message));

    private sealed class State(List<Token> tokens)
    {
        private int _index;

        public Token Peek => tokens[_index];

        public Token Next()
        {
            var token = tokens[_index];
            if (token.Kind != TokenKind.End)
            {
                _index++;
            }

            return token;
        }
    }
}
