using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// A damaged LiteDB store that recovery moved aside (<c>outbox.db.damaged-&lt;yyyyMMddHHmmss&gt;[-n]</c>,
/// with LiteDB's log beside it as <c>...-log</c>) before rebuilding the store from the journal. It holds
/// nothing the journal does not: it is kept for inspection only, at most one at a time, counted against
/// the disk budget and deleted first when the budget or the free-space reserve needs room.
/// </summary>
/// <param name="Path">The set-aside data file (it may be gone while its log remains).</param>
/// <param name="SetAsideAt">When it was set aside (UTC, from its name: the wall clock of that start).</param>
/// <param name="Bytes">Bytes of the data file and its log together.</param>
internal sealed partial record SetAsideStore(string Path, DateTimeOffset SetAsideAt, long Bytes)
{
    /// <summary>What every set-aside file's name starts with (the fsynced mark <c>outbox.db.damaged</c> has no dash).</summary>
    public const string Prefix = "outbox.db.damaged-";

    /// <summary>The set-aside LiteDB log file.</summary>
    public string LogPath => Path + "-log";

    /// <summary>The set-aside name for a store set aside at <paramref name="at"/>, the <paramref name="n"/>th that second (1 = no suffix).</summary>
    public static string NameFor(DateTimeOffset at, int n) =>
        Prefix + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + (n > 1 ? $"-{n}" : "");

    /// <summary>
    /// The set-aside stores in <paramref name="directory"/>, newest first (by the time and number in
    /// their names). Files whose names do not follow the pattern are not the outbox's and are ignored.
    /// </summary>
    public static IReadOnlyList<SetAsideStore> Find(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var found = new Dictionary<string, (DateTimeOffset At, int N, long Bytes)>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles(Prefix + "*"))
        {
            var match = NamePattern().Match(file.Name);
            if (!match.Success)
            {
                continue;
            }

            if (!DateTimeOffset.TryParseExact(match.Groups["at"].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                continue;
            }

            var n = match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
            var dataPath = System.IO.Path.Combine(directory, match.Groups["data"].Value);
            found[dataPath] = (at, n, (found.TryGetValue(dataPath, out var seen) ? seen.Bytes : 0) + file.Length);
        }

        return [.. found
            .OrderByDescending(f => f.Value.At)
            .ThenByDescending(f => f.Value.N)
            .Select(f => new SetAsideStore(f.Key, f.Value.At, f.Value.Bytes))];
    }

    [GeneratedRegex(@"^(?<data>outbox\.db\.damaged-(?<at>\d{14})(-(?<n>\d{1,6}))?)(-log)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
