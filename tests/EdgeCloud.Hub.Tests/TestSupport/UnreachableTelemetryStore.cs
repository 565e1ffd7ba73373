using EdgeCloud.Hub.Storage;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// Imitates a database that stopped answering (disk gone, file locked by another process): every call
/// throws. A real SQLite file cannot be made to fail this way reliably from a test running as root.
/// </summary>
internal sealed class UnreachableTelemetryStore : ITelemetryStore
{
    public ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask PingAsync(CancellationToken cancellationToken = default) => throw Fail();

    private static IOException Fail() => new("the database does not answer");
}
