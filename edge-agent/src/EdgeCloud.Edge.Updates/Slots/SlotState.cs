using System.Globalization;
using System.Text;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Updates.Slots;

/// <summary>
/// The A/B state file <c>slots/state</c> shared with the launcher (packaging/deb/edge-agent/launcher): key=value
/// lines, replaced atomically with <see cref="DurableFile"/> (the launcher writes it the same way, and the two
/// never run at once: the launcher exec's the agent). A crash at any point leaves the old file or the new one,
/// so the launcher starts exactly one build: the old or the new.
/// </summary>
/// <param name="Active">The build to run: "a", "b", or "packaged" (also when empty).</param>
/// <param name="ActiveVersion">Its version.</param>
/// <param name="Previous">The build to switch back to.</param>
/// <param name="PreviousVersion">Its version.</param>
/// <param name="Trial">The active build is new and not yet committed.</param>
/// <param name="TrialStarts">Starts of the trial build so far (counted by the launcher).</param>
/// <param name="TrialDeadline">Unix seconds by which the trial build must commit (set at its first start).</param>
/// <param name="HealthWindowSeconds">The window the campaign gave.</param>
/// <param name="Campaign">The campaign that installed the active build.</param>
/// <param name="Artifact">Its artifact id.</param>
/// <param name="Outcome">A result not yet reported to the hub: "succeeded" or "rolled_back"; empty when none.</param>
/// <param name="Reason">The reason code of a rollback.</param>
public sealed record SlotState(
    string Active,
    string ActiveVersion,
    string Previous,
    string PreviousVersion,
    bool Trial,
    int TrialStarts,
    long? TrialDeadline,
    int HealthWindowSeconds,
    string Campaign,
    string Artifact,
    string Outcome,
    string Reason)
{
    public const string FileName = "state";

    public const string Packaged = "packaged";

    /// <summary>No rollout yet: the packaged build runs.</summary>
    public static SlotState Initial(string packagedVersion) =>
        new(Packaged, packagedVersion, "", "", false, 0, null, 0, "", "", "", "");

    /// <summary>The active build is one of the slots.</summary>
    public bool InSlot => Active is "a" or "b";

    /// <summary>The slot a new build goes into: never the active one.</summary>
    public string Inactive => Active == "a" ? "b" : "a";

    /// <summary>Reads the state in <paramref name="folder"/>, or null when there is none.</summary>
    public static SlotState? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        string Get(string key) => values.GetValueOrDefault(key, "");
        var active = Get("active");
        return new SlotState(
            active is "a" or "b" ? active : Packaged,
            Get("active_version"),
            Get("previous"),
            Get("previous_version"),
            Get("trial") == "1",
            int.TryParse(Get("trial_starts"), NumberStyles.None, CultureInfo.InvariantCulture, out var starts) ? starts : 0,
            long.TryParse(Get("trial_deadline"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadline) ? deadline : null,
            int.TryParse(Get("health_window"), NumberStyles.None, CultureInfo.InvariantCulture, out var window) ? window : 0,
            Get("campaign"),
            Get("artifact"),
            Get("outcome"),
            Get("reason"));
    }

    /// <summary>Replaces the state file atomically and durably.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder()
            .Append("active=").Append(Clean(Active)).Append('\n')
            .Append("active_version=").Append(Clean(ActiveVersion)).Append('\n')
            .Append("previous=").Append(Clean(Previous)).Append('\n')
            .Append("previous_version=").Append(Clean(PreviousVersion)).Append('\n')
            .Append("trial=").Append(Trial ? '1' : '0').Append('\n')
            .Append("trial_starts=").Append(TrialStarts.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("trial_deadline=").Append(TrialDeadline?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("health_window=").Append(HealthWindowSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("campaign=").Append(Clean(Campaign)).Append('\n')
            .Append("artifact=").Append(Clean(Artifact)).Append('\n')
            .Append("outcome=").Append(Clean(Outcome)).Append('\n')
            .Append("reason=").Append(Clean(Reason)).Append('\n')
            .ToString();
        DurableFile.WriteText(Path.Combine(folder, FileName), text);
    }

    /// <summary>A value never spans lines (the launcher reads one key per line).</summary>
    private static string Clean(string value) => value.Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>Small helpers on <see cref="SlotState"/>.</summary>
internal static class SlotStateExtensions
{
    /// <summary>Applies <paramref name="change"/> (reads as a pipeline step after a null-conditional read).</summary>
    public static SlotState With(this SlotState state, Func<SlotState, SlotState> change) => change(state);
}
