using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage;

/// <summary>
/// The hub's storage seam. Invariants every implementation keeps:
/// <list type="bullet">
/// <item>A batch is stored at most once per (agent, sequence): the dedupe check and the points are
/// written in one transaction, so a crash between commit and acknowledgement never doubles data.</item>
/// <item><see cref="IngestAsync(string, string, TelemetryBatch, DateTimeOffset, CancellationToken)"/> returns only after the batch is durable (for SQLite: fsynced).</item>
/// <item>Every sequence skipped below an agent's highest is recorded as a gap until it arrives.</item>
/// <item>Writers are serialized; readers never block them.</item>
/// </list>
/// Batches must satisfy <see cref="Validation.TelemetryBatchRules"/>; an invalid one throws
/// <see cref="ArgumentException"/> and stores nothing. Times are UTC; point times are Unix nanoseconds.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>
    /// True when calls to IngestAsync made one after another, without awaiting the previous one, are
    /// stored in call order (so gap detection sees an agent's sequences as they were sent). The sync
    /// stream then starts a batch's store call before the previous commit; otherwise it waits for it.
    /// </summary>
    bool PreservesCallOrder => false;

    /// <summary>Stores <paramref name="batch"/> of <paramref name="agentId"/> unless that sequence is already stored.</summary>
    ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        IngestAsync(agentId, "", batch, receivedAt, cancellationToken);

    /// <summary>
    /// Stores <paramref name="batch"/> as <see cref="IngestAsync(string, TelemetryBatch, DateTimeOffset, CancellationToken)"/>
    /// does and, in the same transaction, records <paramref name="outboxEpoch"/> as the epoch of the
    /// agent's stored sequences (empty: leave it). A jump in sequence at a change of epoch is a new
    /// life of the agent, not a loss, so it is not recorded as a gap.
    /// </summary>
    ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>The outbox epoch recorded with the agent's stored sequences; empty when none.</summary>
    ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence stored for the agent, 0 when none (or the agent is unknown).</summary>
    ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the agent when unknown and moves its last-seen time forward (never back). A null
    /// <paramref name="agentVersion"/> keeps the stored version.
    /// </summary>
    ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default);

    /// <summary>Every known agent, ordered by id.</summary>
    ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default);

    /// <summary>One agent, or null when unknown.</summary>
    ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Points of one tag with <paramref name="fromUnixNano"/> &lt;= time &lt; <paramref name="toUnixNano"/>,
    /// ordered by time (then by arrival), at most <paramref name="limit"/> of them.
    /// </summary>
    ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default);

    /// <summary>The agent's gaps, open and filled, ordered by first missing sequence.</summary>
    ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>Throws when the backend does not answer; used by the health check.</summary>
    ValueTask PingAsync(CancellationToken cancellationToken = default);
}
