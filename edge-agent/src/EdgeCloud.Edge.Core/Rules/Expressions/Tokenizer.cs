using System.Globalization;

namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>
/// Splits an expression into tokens. A tag reference is either quoted (<c>'plc-1/temp'</c>, any
/// valid device and tag names) or bare: a name immediately followed by <c>/</c> and a second name
/// with no space between (<c>plc/temp</c>); bare names hold letters, digits, '_' and '.', so a
/// division between two tags needs spaces (<c>a/x / b/y</c>). A number immediately followed by
/// <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> is a duration.
/// </summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, i, ""));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                tokens.Add(ReadName(text, ref i));
            }
            else if (c == '\'')
            {
                tokens.Add(ReadQuotedTag(text, ref i));
            }
            else
            {
                tokens.Add(ReadSymbol(text, ref i));
            }
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length &&
            (char.IsAsciiDigit(text[i + 1]) || ((text[i + 1] == '+' || text[i + 1] == '-') && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
        {
            i += 2;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        var literal = text[start..i];
        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Fail(start, $"'{literal}' is not a finite number");
        }

        var unitStart = i;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        if (i == unitStart)
        {
            return new Token(TokenKind.Number, start, literal, value);
        }

        var unit = text[unitStart..i];
        double scale = unit switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => throw Fail(unitStart, $"unknown unit '{unit}' after number {literal} (expected ms, s, m or h for a duration)"),
        };
        return new Token(TokenKind.Duration, start, text[start..i], value * scale);
    }

    private static Token ReadName(string text, ref int i)
    {
        var start = i;
        SkipNameChars(text, ref i);
        if (i + 1 < text.Length && text[i] == '/' && IsNameChar(text[i + 1]))
        {
            i++;
            SkipNameChars(text, ref i);
            return new Token(TokenKind.Tag, start, text[start..i]);
        }

        return new Token(TokenKind.Identifier, start, text[start..i]);
    }

    private static Token ReadQuotedTag(string text, ref int i)
    {
        var start = i;
        var end = text.IndexOf('\'', i + 1);
        if (end < 0)
        {
            throw Fail(start, "unterminated quoted tag (expected a closing ')");
        }

        var address = text[(i + 1)..end];
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash != address.LastIndexOf('/') || slash == address.Length - 1 ||
            !IsValidName(address[..slash]) || !IsValidName(address[(slash + 1)..]))
        {
            throw Fail(start, $"'{address}' is not a tag address (expected 'device/tag', names of letters, digits, '-', '_', '.')");
        }

        i = end + 1;
        return new Token(TokenKind.Tag, start, address);
    }

    private static Token ReadSymbol(string text, ref int i)
    {
        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        (TokenKind Kind, int Length) token = (c, next) switch
        {
            ('<', '=') => (TokenKind.LessOrEqual, 2),
            ('>', '=') => (TokenKind.GreaterOrEqual, 2),
            ('=', '=') => (TokenKind.Equal, 2),
            ('!', '=') => (TokenKind.NotEqual, 2),
            ('&', '&') => (TokenKind.AndAnd, 2),
            ('|', '|') => (TokenKind.OrOr, 2),
            ('<', _) => (TokenKind.Less, 1),
            ('>', _) => (TokenKind.Greater, 1),
            ('!', _) => (TokenKind.Bang, 1),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('%', _) => (TokenKind.Percent, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            ('=', _) => throw Fail(start, "'=' is not an operator (expected '==' to compare)"),
            _ => throw Fail(start, $"unexpected character '{c}'"),
        };
        i += token.Length;
        return new Token(token.Kind, start, text.Substring(start, token.Length));
    }

    private static void SkipNameChars(string text, ref int i)
    {
        while (i < text.Length && IsNameChar(text[i]))
        {
            i++;
        }
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static ExpressionSyntaxException Fail(int position, string message) => new(new ExpressionError(position, message));
}
