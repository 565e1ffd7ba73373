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

    // Iterative glob with one backtrack point (the last '*'): linear for these short names, no recursion.
    internal static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
