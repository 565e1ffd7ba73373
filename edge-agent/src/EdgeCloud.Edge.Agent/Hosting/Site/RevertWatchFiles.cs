using System.Text.Json;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The revert watch's files in <c>&lt;dataDirectory&gt;/site-config/</c>: <c>watch.json</c> (the change under
/// watch) and <c>reverted</c> (versions reverted by the agent, one <c>version&lt;TAB&gt;reason</c> a line, the
/// last <see cref="KeptReverts"/>), each replaced with <see cref="DurableFile"/>. A version in <c>reverted</c>
/// is not applied again when the hub sends it again: the admin pushes a new version to retry.
/// </summary>
internal sealed class RevertWatchFiles(string folder)
{
    /// <summary>Reverted versions remembered.</summary>
    public const int KeptReverts = 32;

    public string WatchPath { get; } = Path.Combine(folder, "watch.json");

    public string RevertedPath { get; } = Path.Combine(folder, "reverted");

    public RevertWatchState? LoadWatch()
    {
        if (!File.Exists(WatchPath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(WatchPath), RevertWatchJson.Default.RevertWatchState);
        }
        catch (JsonException)
        {
            // DurableFile never leaves half a file: this one was edited by hand. Without it nothing can be reverted.
            return null;
        }
    }

    public void SaveWatch(RevertWatchState state)
    {
        Directory.CreateDirectory(folder);
        DurableFile.WriteText(WatchPath, JsonSerializer.Serialize(state, RevertWatchJson.Default.RevertWatchState));
    }

    public void DeleteWatch()
    {
        if (File.Exists(WatchPath))
        {
            File.Delete(WatchPath);
        }
    }

    /// <summary>Why <paramref name="version"/> was reverted, or null when it never was.</summary>
    public string? RevertReason(string version) =>
        ReadReverts().Where(r => string.Equals(r.Version, version, StringComparison.Ordinal)).Select(r => r.Reason).LastOrDefault();

    public void AddRevert(string version, string reason)
    {
        var lines = ReadReverts().Append((version, reason.ReplaceLineEndings(" ").Replace('\t', ' '))).TakeLast(KeptReverts);
        Directory.CreateDirectory(folder);
        DurableFile.WriteText(RevertedPath, string.Concat(lines.Select(l => $"{l.Item1}\t{l.Item2}\n")));
    }

    private List<(string Version, string Reason)> ReadReverts() =>
        File.Exists(RevertedPath)
            ? File.ReadAllLines(RevertedPath).Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList()
            : [];
}

