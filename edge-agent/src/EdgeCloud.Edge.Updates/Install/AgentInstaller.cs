using EdgeCloud.Edge.Files;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Slots;

namespace EdgeCloud.Edge.Updates.Install;

/// <summary>
/// Installs an agent build A/B: unpacks it into <c>slots/&lt;inactive&gt;.new</c>, flushes every file, renames the
/// folder to <c>slots/&lt;inactive&gt;</c>, then switches by replacing the state file (the one atomic step): active =
/// the new slot on trial, previous = what ran. Until that rename the launcher starts the old build; after it, the
/// new one. The caller then stops the agent so that systemd starts the launcher again.
/// </summary>
internal static class AgentInstaller
{
    public const string Executable = "edge-agent";

    /// <summary>Installs and switches; returns the new state.</summary>
    public static SlotState InstallAndSwitch(string package, string slots, SlotState current, string runningVersion, string version, int healthWindowSeconds, string campaign, string artifact)
    {
        Directory.CreateDirectory(slots);
        var slot = current.Inactive;
        var staging = Path.Combine(slots, slot + ".new");
        var final = Path.Combine(slots, slot);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        TarPackage.ExtractTo(package, staging);
        var executable = Path.Combine(staging, Executable);
        if (!File.Exists(executable))
        {
            Directory.Delete(staging, recursive: true);
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"the agent package has no '{Executable}' at its root");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute | UnixFileMode.UserRead);
        }
        FlushTree(staging);
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(staging, final);
        DirectorySync.Sync(slots);

        var next = new SlotState(slot, version, current.Active, runningVersion, Trial: true, TrialStarts: 0, TrialDeadline: null, healthWindowSeconds, campaign, artifact, Outcome: "", Reason: "");
        next.Write(slots);
        return next;
    }

    /// <summary>Every file and folder of the new build reaches the disk before the state names it.</summary>
    private static void FlushTree(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is not null)
            {
                continue;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            DirectorySync.Sync(directory);
        }
    }
}
