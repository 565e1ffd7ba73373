namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The <c>updates</c> section of agent.json: what the agent trusts and runs when it installs a rollout
/// (docs/rollouts.md). Invariant: every key in <see cref="ReleaseKeys"/> was read and is an ECDSA P-256
/// public key when the config loaded.
/// </summary>
/// <param name="ReleaseKeys">PEM files (SubjectPublicKeyInfo) of the release keys an artifact must be signed with.</param>
/// <param name="FirmwareInstallers">Firmware name to the command that installs it.</param>
/// <param name="HealthWindow">How long a new agent build has to reach the hub and move data when the directive gives no window.</param>
/// <param name="SlotsDirectory">The A/B install slots and their state file (the launcher reads the same folder).</param>
/// <param name="Download">Download limits.</param>
public sealed record UpdatesConfig(
    IReadOnlyList<string> ReleaseKeys,
    IReadOnlyDictionary<string, FirmwareInstallerConfig> FirmwareInstallers,
    TimeSpan HealthWindow,
    string SlotsDirectory,
    DownloadConfig Download)
{
    /// <summary>What an agent without an <c>updates</c> section gets: no release keys (every artifact is refused), slots under the data folder.</summary>
    public static UpdatesConfig Defaults(string dataDirectory) =>
        new([], new Dictionary<string, FirmwareInstallerConfig>(StringComparer.Ordinal), TimeSpan.FromSeconds(300), System.IO.Path.Combine(dataDirectory, "slots"), DownloadConfig.Default);
}

/// <summary>One firmware installer: <paramref name="Command"/> is run without a shell, the artifact's path appended as the last argument.</summary>
/// <param name="Command">Program and its arguments.</param>
/// <param name="Timeout">The installer is killed after this long.</param>
public sealed record FirmwareInstallerConfig(IReadOnlyList<string> Command, TimeSpan Timeout);

/// <summary>How artifacts are downloaded.</summary>
/// <param name="StallTimeout">No byte for this long ends an attempt.</param>
/// <param name="MinBytesPerSecond">Fewer bytes than this per second, averaged over <see cref="StallTimeout"/>, end an attempt (a trickle).</param>
/// <param name="Attempts">Attempts before the download fails; each resumes where the last stopped.</param>
public sealed record DownloadConfig(TimeSpan StallTimeout, long MinBytesPerSecond, int Attempts)
{
    /// <summary>30 s, 1 KiB/s, 5 attempts.</summary>
    public static DownloadConfig Default { get; } = new(TimeSpan.FromSeconds(30), 1024, 5);
}
