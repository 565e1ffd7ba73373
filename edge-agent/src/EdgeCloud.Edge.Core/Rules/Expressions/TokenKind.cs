namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Kinds of tokens of the rule expression language.</summary>
internal enum TokenKind
{
    End,
    Number,
    Duration,
    Identifier,
    Tag,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    AndAnd,
    OrOr,
    Bang,
    LeftParen,
    RightParen,
    Comma,
}
