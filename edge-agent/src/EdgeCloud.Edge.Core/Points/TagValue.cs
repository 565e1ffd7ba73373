using System.Globalization;

namespace EdgeCloud.Edge.Points;

/// <summary>The kind of value a <see cref="TagValue"/> holds.</summary>
public enum TagValueKind : byte
{
    /// <summary>No value (a bad-quality point carries none).</summary>
    None = 0,

    /// <summary>IEEE-754 double.</summary>
    Number,

    /// <summary>Signed 64-bit integer, kept exact (a double loses precision above 2^53).</summary>
    Integer,

    /// <summary>Boolean.</summary>
    Flag,

    /// <summary>Text.</summary>
    Text,
}

/// <summary>
/// A tag's value without boxing: a number, an exact integer, a flag or a text. Immutable.
/// </summary>
public readonly struct TagValue : IEquatable<TagValue>
{
    private readonly double _number;
    private readonly long _integer;
    private readonly string? _text;

    private TagValue(TagValueKind kind, double number, long integer, string? text)
    {
        Kind = kind;
        _number = number;
        _integer = integer;
        _text = text;
    }

    /// <summary>The empty value, used by bad-quality points.</summary>
    public static TagValue None => default;

    /// <summary>What this value holds.</summary>
    public TagValueKind Kind { get; }

    /// <summary>Creates a number.</summary>
    public static TagValue FromNumber(double value) => new(TagValueKind.Number, value, 0, null);

    /// <summary>Creates an exact integer.</summary>
    public static TagValue FromInteger(long value) => new(TagValueKind.Integer, 0, value, null);

    /// <summary>Creates a flag.</summary>
    public static TagValue FromFlag(bool value) => new(TagValueKind.Flag, 0, value ? 1 : 0, null);

    /// <summary>Creates a text.</summary>
    public static TagValue FromText(string value) => new(TagValueKind.Text, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The value as a double (flags are 0/1, text and none are NaN).</summary>
    public double AsDouble() => Kind switch
    {
        TagValueKind.Number => _number,
        TagValueKind.Integer or TagValueKind.Flag => _integer,
        _ => double.NaN,
    };

    /// <summary>The integer held; only meaningful when <see cref="Kind"/> is Integer or Flag.</summary>
    public long AsInteger() => Kind == TagValueKind.Number ? (long)_number : _integer;

    /// <summary>The flag held; only meaningful when <see cref="Kind"/> is Flag.</summary>
    public bool AsFlag() => _integer != 0;

    /// <summary>The text held, or null.</summary>
    public string? AsText() => _text;

    /// <inheritdoc />
    public bool Equals(TagValue other) =>
        Kind == other.Kind && _number.Equals(other._number) && _integer == other._integer && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TagValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _number, _integer, _text);

    /// <summary>Equality.</summary>
    public static bool operator ==(TagValue left, TagValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TagValue left, TagValue right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TagValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        TagValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        TagValueKind.Flag => AsFlag() ? "true" : "false",
        TagValueKind.Text => _text!,
        _ => "none",
    };
}
