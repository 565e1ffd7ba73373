namespace EdgeCloud.Edge.Updates.Hosting;

/// <summary>
/// The rollout in progress (or the last one) as <c>edge-agent status</c> shows it. Written by the rollout loop,
/// read by the status endpoint; each read is one consistent snapshot.
/// </summary>
public sealed class UpdateStatus
{
    private Snapshot? _current;

    /// <summary>One rollout's progress.</summary>
    /// <param name="Campaign">Campaign id ("local" for the command-line installer).</param>
    /// <param name="Kind">agent, firmware or model.</param>
    /// <param name="Name">Artifact name.</param>
    /// <param name="Version">Version being installed.</param>
    /// <param name="State">The RolloutProgress state.</param>
    /// <param name="BytesDone">Bytes downloaded and verified.</param>
    /// <param name="Size">Artifact size.</param>
    /// <param name="Reason">Reason code when failed or rolled back.</param>
    /// <param name="Detail">What happened.</param>
    public sealed record Snapshot(string Campaign, string Kind, string Name, string Version, string State, ulong BytesDone, ulong Size, string? Reason, string? Detail);

    /// <summary>The latest, or null when no rollout ran since start.</summary>
    public Snapshot? Current => Volatile.Read(ref _current);

    internal void Set(Snapshot snapshot) => Volatile.Write(ref _current, snapshot);
}
