namespace EdgeCloud.Hub.Storage.Validation;

/// <summary>
/// The naming rules of the fleet, the same as the agent's config: an agent id, a device name and a tag
/// name are 1 to 64 ASCII letters, digits, '-', '_' or '.'; a tag inside an agent is addressed
/// <c>device/tag</c>.
/// </summary>
public static class NameRules
{
    /// <summary>Longest name allowed.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The rule in words, for error messages.</summary>
    public const string NameRuleText = "1 to 64 characters among letters, digits, '-', '_' and '.'";

    /// <summary>The tag rule in words, for error messages.</summary>
    public const string TagRuleText = "'device/tag' where device and tag are each " + NameRuleText;

    /// <summary>True when <paramref name="name"/> follows the name rule.</summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="agentId"/> is a valid agent id.</summary>
    public static bool IsValidAgentId(string? agentId) => agentId is not null && IsValidName(agentId);

    /// <summary>True when <paramref name="tag"/> is <c>device/tag</c> with two valid names.</summary>
    public static bool IsValidTag(string? tag)
    {
        if (tag is null)
        {
            return false;
        }

        var slash = tag.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsValidName(tag.AsSpan(0, slash)) && IsValidName(tag.AsSpan(slash + 1));
    }

    /// <summary>Shortens untrusted text for a log line or an error message.</summary>
    public static string Excerpt(string? text, int max = 80) =>
        text is null ? "(null)" : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");
}
