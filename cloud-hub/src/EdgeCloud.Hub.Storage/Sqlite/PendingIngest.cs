using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>A batch waiting for the next group commit, and where its caller waits for the result.</summary>
internal sealed class PendingIngest(string agentId, string outboxEpoch, TelemetryBatch batch, long receivedAt)
{
    public string AgentId { get; } = agentId;

    public string OutboxEpoch { get; } = outboxEpoch;

    public TelemetryBatch Batch { get; } = batch;

    public long ReceivedAt { get; } = receivedAt;

    public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
