using System.Globalization;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// An artifact version as docs/rollouts.md defines it: dotted numbers, an optional pre-release after <c>-</c>.
/// The hub only checks the form; the agent compares versions before it installs.
/// </summary>
public sealed record ArtifactVersion(IReadOnlyList<long> Numbers, string? PreRelease)
{
    /// <summary>Parses <paramref name="text"/>; null when it is not a version (digits and dots, 1 to 4 parts, optional <c>-suffix</c> of [0-9A-Za-z.-]).</summary>
    public static ArtifactVersion? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var core = dash < 0 ? text : text[..dash];
        var pre = dash < 0 ? null : text[(dash + 1)..];
        if (pre is not null && (pre.Length == 0 || !pre.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            return null;
        }

        var parts = core.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }

        var numbers = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is 0 or > 9 || !parts[i].All(char.IsAsciiDigit))
            {
                return null;
            }

            numbers[i] = long.Parse(parts[i], CultureInfo.InvariantCulture);
        }

        return new ArtifactVersion(numbers, pre);
    }
}
