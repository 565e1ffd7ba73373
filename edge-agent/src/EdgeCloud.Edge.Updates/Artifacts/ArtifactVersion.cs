using System.Globalization;

namespace EdgeCloud.Edge.Updates.Artifacts;

/// <summary>
/// Compares versions as docs/rollouts.md says: dotted numbers (<c>1.10.0</c> &gt; <c>1.9.3</c>, missing parts are 0),
/// a pre-release suffix after '-' sorting below its release and ordinally among pre-releases; build metadata after
/// '+' is ignored. A part that is not a number compares ordinally after every number.
/// </summary>
public static class ArtifactVersion
{
    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, 0 when equal, positive when newer.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (coreA, preA) = Split(a);
        var (coreB, preB) = Split(b);
        var partsA = coreA.Split('.');
        var partsB = coreB.Split('.');
        for (var i = 0; i < Math.Max(partsA.Length, partsB.Length); i++)
        {
            var order = ComparePart(i < partsA.Length ? partsA[i] : "0", i < partsB.Length ? partsB[i] : "0");
            if (order != 0)
            {
                return order;
            }
        }

        return (preA, preB) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(preA, preB),
        };
    }

    private static (string Core, string? PreRelease) Split(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        var dash = version.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (version.Trim(), null) : (version[..dash].Trim(), version[(dash + 1)..]);
    }

    private static int ComparePart(string a, string b)
    {
        var isA = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var numberA);
        var isB = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var numberB);
        return (isA, isB) switch
        {
            (true, true) => numberA.CompareTo(numberB),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };
    }
}
