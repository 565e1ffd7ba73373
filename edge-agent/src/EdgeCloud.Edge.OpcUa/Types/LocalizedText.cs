namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>A human-readable text with an optional locale; either part may be absent.</summary>
internal readonly record struct LocalizedText(string? Locale, string? Text)
{
    public override string ToString() => Text ?? "";
}
