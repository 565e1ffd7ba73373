using System.Reflection;
using EdgeCloud.Edge.Sync;

namespace EdgeCloud.Edge.Updates.Slots;

/// <summary>
/// Which build this process is and its version. The launcher exports <c>EDGE_AGENT_SLOT</c> when it runs a slot;
/// a slot's version is the one its signed artifact declared (the release key vouched for it), recorded in the
/// state file; the packaged build's version is its assembly's.
/// </summary>
public sealed class RunningBuild : IRunningVersion
{
    /// <summary>The environment variable the launcher sets to "a" or "b".</summary>
    public const string SlotVariable = "EDGE_AGENT_SLOT";

    /// <summary>Reads the slot from the environment and its version from the state in <paramref name="slots"/>.</summary>
    public RunningBuild(string slots)
    {
        Slots = slots;
        var slot = Environment.GetEnvironmentVariable(SlotVariable);
        Slot = slot is "a" or "b" ? slot : null;
        var state = SlotState.Read(slots);
        Version = Slot is not null && state is not null && state.Active == Slot && state.ActiveVersion.Length > 0 ? state.ActiveVersion : PackagedVersion;
    }

    /// <summary>The slots folder.</summary>
    public string Slots { get; }

    /// <summary>"a" or "b" when this process runs from a slot; null for the packaged build.</summary>
    public string? Slot { get; }

    /// <summary>The running version: the slot's (as its signed artifact declared it) when run from a slot; also the Hello's.</summary>
    public string Version { get; }

    /// <summary>The version compiled into this build (informational version without build metadata).</summary>
    public static string PackagedVersion { get; } = Strip(
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunningBuild).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0");

    /// <summary>The agent version installed now: the active build in the state, else this build.</summary>
    public string Installed => SlotState.Read(Slots) is { ActiveVersion.Length: > 0 } state ? state.ActiveVersion : Version;

    private static string Strip(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
