namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// What <c>GET /status</c> answers (JSON, camelCase) and what <c>edge-agent status</c> reads. Fields
/// are only ever added, so an older CLI can read a newer agent.
/// </summary>
/// <param name="AgentId">The agent's id.</param>
/// <param name="Version">The agent's version.</param>
/// <param name="Now">The agent's clock when the report was made.</param>
/// <param name="StartedAt">When the agent started.</param>
/// <param name="UptimeSeconds">Seconds since start.</param>
/// <param name="Health">The verdict <c>/healthz</c> gives.</param>
/// <param name="Outbox">The store-and-forward outbox.</param>
/// <param name="Sync">The hub link.</param>
/// <param name="ClockSynchronized">The kernel reports the clock synchronized (NTP, PTP, chrony).</param>
/// <param name="Devices">Each configured device with its poll counts since start.</param>
/// <param name="Update">The running build and the latest rollout (null from an agent older than rollouts).</param>
public sealed record AgentStatusReport(
    string AgentId,
    string Version,
    DateTimeOffset Now,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    AgentStatusReport.HealthPart Health,
    AgentStatusReport.OutboxPart Outbox,
    AgentStatusReport.SyncPart Sync,
    bool ClockSynchronized,
    IReadOnlyList<AgentStatusReport.DevicePart> Devices,
    AgentStatusReport.UpdatePart? Update = null)
{
    /// <summary>Healthy when the outbox writer answers; otherwise the reason.</summary>
    /// <param name="Healthy">The outbox is open and its writer answers.</param>
    /// <param name="Reason">Why not, when not.</param>
    public sealed record HealthPart(bool Healthy, string? Reason);

    /// <summary>The outbox's depth and losses (see <c>OutboxStats</c>).</summary>
    /// <param name="Batches">Batches stored and not yet acknowledged by the hub (the backlog).</param>
    /// <param name="Points">Points in those batches.</param>
    /// <param name="Bytes">Bytes on disk (journal and store).</param>
    /// <param name="LastDurableSequence">Highest durable sequence.</param>
    /// <param name="LastAcknowledgedSequence">Highest sequence the hub acknowledged.</param>
    /// <param name="DroppedBatches">Batches the disk budget dropped since start.</param>
    /// <param name="DroppedPoints">Points in those batches.</param>
    public sealed record OutboxPart(long Batches, long Points, long Bytes, ulong LastDurableSequence, ulong LastAcknowledgedSequence, long DroppedBatches, long DroppedPoints);

    /// <summary>The hub link (see <c>SyncStatus</c>) and how fast the backlog drains.</summary>
    /// <param name="Hub">The hub's address.</param>
    /// <param name="Connected">A session is open.</param>
    /// <param name="Since">When the link last changed state.</param>
    /// <param name="LastError">Why the last session ended, if one did.</param>
    /// <param name="BatchesSent">Batches sent since start.</param>
    /// <param name="LastAcknowledged">Highest sequence the hub acknowledged.</param>
    /// <param name="LastAckAt">When an acknowledgement last moved it (to the sampling second), if one did since start.</param>
    /// <param name="AcksPerSecond">Batches acknowledged per second over the last minute.</param>
    /// <param name="BacklogEtaSeconds">Backlog batches over that rate; null when nothing drains.</param>
    public sealed record SyncPart(
        Uri Hub, bool Connected, DateTimeOffset? Since, string? LastError, long BatchesSent, ulong LastAcknowledged, DateTimeOffset? LastAckAt, double AcksPerSecond, double? BacklogEtaSeconds);

    /// <summary>One configured device.</summary>
    /// <param name="Name">Device name.</param>
    /// <param name="Protocol">Its protocol.</param>
    /// <param name="Polls">Polls since start.</param>
    /// <param name="Errors">Failed reads or connects since start.</param>
    public sealed record DevicePart(string Name, string Protocol, long Polls, long Errors);

    /// <summary>The running build and the latest rollout.</summary>
    /// <param name="RunningVersion">The version that runs.</param>
    /// <param name="Slot">"a" or "b" when it runs from an install slot, null for the packaged build.</param>
    /// <param name="Trial">The running build is on trial (not yet committed by its health gate).</param>
    /// <param name="Campaign">The latest rollout's campaign, if one ran since start.</param>
    /// <param name="Artifact">Its kind, name and version ("agent edge-agent 1.4.0").</param>
    /// <param name="State">Its state (downloading, verified, succeeded, failed, ...).</param>
    /// <param name="BytesDone">Bytes downloaded and verified.</param>
    /// <param name="Size">The artifact's size.</param>
    /// <param name="Reason">Reason code when it failed.</param>
    /// <param name="Detail">What happened.</param>
    public sealed record UpdatePart(
        string RunningVersion, string? Slot, bool Trial, string? Campaign, string? Artifact, string? State, ulong BytesDone, ulong Size, string? Reason, string? Detail);
}
