namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>
/// A glob on a tag address, written <c>device-pattern/tag-pattern</c> (the config loader insists on
/// the one '/'): <c>*</c> matches any run of characters, <c>?</c> exactly one, everything else itself
/// (ordinal). Device and tag names cannot hold '/', so a '*' never crosses from device to tag.
/// <c>*/*</c> is every tag, <c>line1/*</c> every tag of device line1, <c>*/temp*</c> the
/// temperatures of every device. Immutable.
/// </summary>
internal sealed class TagGlob
{
    private readonly string _device;
    private readonly string _tag;

    public TagGlob(string pattern)
    {
        Pattern = pattern;
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        _device = slash < 0 ? "*" : pattern[..slash];
        _tag = slash < 0 ? pattern : pattern[(slash + 1)..];
    }

    public string Pattern { get; }

    public bool IsMatch(string device, string tag) => Match(_device, device) && Match(_tag, tag);

    internal static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text) => EdgeCloud.Edge.Points.NameGlob.IsMatch(pattern, text);
}
