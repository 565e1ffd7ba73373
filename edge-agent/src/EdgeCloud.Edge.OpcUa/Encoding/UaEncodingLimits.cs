namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>
/// Bounds every decoded length is checked against. Whatever a peer claims, a decoder never
/// allocates more than the bytes it holds allow (every element of an array takes at least one
/// byte) nor more than these limits, and never recurses deeper than <see cref="MaxNestingDepth"/>.
/// </summary>
internal sealed record UaEncodingLimits
{
    /// <summary>Longest string in bytes (UTF-8).</summary>
    public int MaxStringLength { get; init; } = 1 << 20;

    /// <summary>Longest byte string.</summary>
    public int MaxByteStringLength { get; init; } = 4 << 20;

    /// <summary>Most elements in one array.</summary>
    public int MaxArrayLength { get; init; } = 1 << 20;

    /// <summary>Deepest nesting of variants, diagnostic infos and extension objects.</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>The defaults.</summary>
    public static UaEncodingLimits Default { get; } = new();
}
