namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>One token: its kind, where it starts, its text, and its value for numbers (durations in seconds).</summary>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, double Number = 0)
{
    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.Tag => $"tag '{Text}'",
        TokenKind.Identifier => $"'{Text}'",
        TokenKind.Number or TokenKind.Duration => $"number {Text}",
        _ => $"'{Text}'",
    };
}
