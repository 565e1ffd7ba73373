using System.Globalization;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// The tags of one series. Equality ignores tag order (a caller may pass the same tags in any
/// order); the label pairs for rendering are sanitized and sorted once, when the series is created.
/// </summary>
internal sealed class TagSet
{
    private TagSet(KeyValuePair<string, object?>[] raw, KeyValuePair<string, string>[] labels, int hash)
    {
        Raw = raw;
        Labels = labels;
        Hash = hash;
    }

    /// <summary>The series without tags.</summary>
    public static TagSet Empty { get; } = new([], [], 0);

    /// <summary>The series that collects measurements once an instrument has too many series.</summary>
    public static TagSet Overflow { get; } = new([new("overflow", "true")], [new("overflow", "true")], int.MinValue);

    /// <summary>The tags as recorded, for equality.</summary>
    public KeyValuePair<string, object?>[] Raw { get; }

    /// <summary>Sanitized label names with their values as text, sorted by name.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    public int Hash { get; }

    public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var raw = tags.ToArray();
        var labels = new KeyValuePair<string, string>[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            labels[i] = new(PrometheusText.LabelName(raw[i].Key), ValueText(raw[i].Value));
        }

        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new TagSet(raw, labels, HashOf(tags));
    }

    /// <summary>Order-insensitive: a sum of per-tag hashes.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash = unchecked(hash + HashCode.Combine(tag.Key, tag.Value));
        }

        return hash;
    }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Raw.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in Raw)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static string ValueText(object? value) => value switch
    {
        null => "",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
