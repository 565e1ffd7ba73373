namespace EdgeCloud.Edge.Outbox;

/// <summary>
/// The size contract between the agent and the hub (docs/sync.md, "Message size"): no batch the agent
/// makes durable has a payload above <see cref="MaxBatchPayloadBytes"/>, so that with the sync frame's
/// header (under 32 bytes) it fits gRPC's default 4 MiB receive limit, which a hub that predates the
/// contract still has. The hub reads up to 16 MiB by default and says its limit in its Welcome.
/// </summary>
public static class OutboxLimits
{
    /// <summary>
    /// 4 MiB less 64 KiB. The batcher seals a telemetry batch before its encoded points pass this (the
    /// 64 KiB spare takes the frame header and the points rules and models derive from a batch's last
    /// source point); a compaction carrier stays under <see cref="MaxCarrierBytes"/>.
    /// </summary>
    public const int MaxBatchPayloadBytes = (4 * 1024 * 1024) - (64 * 1024);

    /// <summary>The most a compaction carrier grows by merging (1 MiB), whatever the disk budget.</summary>
    public const int MaxCarrierBytes = 1024 * 1024;
}
