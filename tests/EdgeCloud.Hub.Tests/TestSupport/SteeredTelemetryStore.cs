using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// The real SQLite store with two failures a real one cannot be made to produce on demand from a test:
/// <see cref="FailOnce"/> imitates a disk error on the transaction of one chosen batch (reported after
/// <see cref="FailAfter"/>, as a slow failing disk would), and <see cref="PreservesCallOrder"/> = false
/// imitates a backend that may store concurrent calls out of order (PostgreSQL, one connection per call).
/// It counts the store calls in progress at once. Everything else goes to the SQLite store unchanged.
/// </summary>
internal sealed class SteeredTelemetryStore(SqliteTelemetryStore inner, bool preservesCallOrder) : ITelemetryStore
{
    private int _inProgress;
    private int _peak;

    public SqliteTelemetryStore Inner => inner;

    public bool PreservesCallOrder => preservesCallOrder;

    /// <summary>The sequence whose next ingest fails (once), or null.</summary>
    public ulong? FailOnce { get; set; }

    public TimeSpan FailAfter { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Added after each commit before the call returns: a slow disk's fsync.</summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The most ingest calls that were in progress at one time.</summary>
    public int PeakInProgress => Volatile.Read(ref _peak);

    /// <summary>Replaces the hub's store with this one over its data folder; rollups, retention and alarms go to the SQLite store.</summary>
    public static Action<WebApplicationBuilder> Install(string dataDirectory, bool preservesCallOrder)
    {
        return builder =>
        {
            builder.Services.AddSingleton(_ => new SteeredTelemetryStore(
                SqliteTelemetryStore.Open(dataDirectory, TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger<SqliteTelemetryStore>.Instance), preservesCallOrder));
            builder.Services.AddSingleton<ITelemetryStore>(s => s.GetRequiredService<SteeredTelemetryStore>());
            builder.Services.AddSingleton<ITelemetryRollups>(s => s.GetRequiredService<SteeredTelemetryStore>().Inner);
            builder.Services.AddSingleton<ITelemetryRetention>(s => s.GetRequiredService<SteeredTelemetryStore>().Inner);
            builder.Services.AddSingleton<IAlarmEventStore>(s => s.GetRequiredService<SteeredTelemetryStore>().Inner);
        };
    }

    public ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        IngestAsync(agentId, "", batch, receivedAt, cancellationToken);

    public ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref _inProgress);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        if (FailOnce == batch.Sequence)
        {
            FailOnce = null;
            return FailLaterAsync(batch.Sequence);
        }

        // The inner call is made before this method returns: the SQLite store's call order is kept.
        return ForwardAsync(inner.IngestAsync(agentId, outboxEpoch, batch, receivedAt, cancellationToken));
    }

    public ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default) => inner.GetOutboxEpochAsync(agentId, cancellationToken);

    public ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default) => inner.GetHighestSequenceAsync(agentId, cancellationToken);

    public ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default) =>
        inner.TouchAgentAsync(agentId, agentVersion, seenAt, cancellationToken);

    public ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default) => inner.ListAgentsAsync(cancellationToken);

    public ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default) => inner.GetAgentAsync(agentId, cancellationToken);

    public ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default) =>
        inner.QueryPointsAsync(agentId, tag, fromUnixNano, toUnixNano, limit, cancellationToken);

    public ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default) => inner.ListGapsAsync(agentId, cancellationToken);

    public ValueTask PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);

    private async ValueTask<IngestResult> ForwardAsync(ValueTask<IngestResult> stored)
    {
        try
        {
            var result = await stored;
            if (CommitDelay > TimeSpan.Zero)
            {
                await Task.Delay(CommitDelay);
            }

            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }

    private async ValueTask<IngestResult> FailLaterAsync(ulong sequence)
    {
        try
        {
            await Task.Delay(FailAfter);
            throw new IOException($"disk error while committing batch {sequence}");
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }
}
