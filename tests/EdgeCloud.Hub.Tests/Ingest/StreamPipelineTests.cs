using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Tests.Ingest;

/// <summary>
/// One stream's batches stored without waiting for each other's commit: a real hub on loopback Kestrel,
/// a real gRPC client, SQLite in a temp folder. A slow commit is made by a second SQLite connection holding
/// the write lock (a real peer), or by <see cref="SteeredTelemetryStore"/> where a real store cannot fail on demand.
/// </summary>
public sealed class StreamPipelineTests : IDisposable
{
    private const string Tag = "plc1/flow";
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Connect_BatchesWhileTheDatabaseIsLocked_SharedOneCommitAndAckedInOrder()
    {
        var install = SteeredTelemetryStore.Install(_data.Path, preservesCallOrder: true);
        await using var hub = await TestHub.StartAsync(_data.Path, install);
        var store = hub.App.Services.GetRequiredService<SteeredTelemetryStore>();
        using var stream = await hub.ConnectAsync("agent-group");
        Assert.Equal(1UL, await stream.SendBatchAsync(Batch(1)));
        var groupsBefore = store.Inner.GroupsCommitted;

        await using (await LockDatabaseAsync())
        {
            for (ulong sequence = 2; sequence <= 11; sequence++)
            {
                await stream.SendAsync(new AgentMessage { Telemetry = Batch(sequence) });
            }

            // Every batch reached the store while the first of them still waits for the lock.
            await Eventually.TrueAsync(() => Task.FromResult(store.PeakInProgress >= 10), "ten batches of one stream are in the store at once");
        }

        Assert.Equal([2UL, 3, 4, 5, 6, 7, 8, 9, 10, 11], await ReadAcksAsync(stream, 10));
        Assert.InRange(store.Inner.GroupsCommitted - groupsBefore, 1, 2);
        Assert.Equal(22, (await hub.Store.QueryPointsAsync("agent-group", Tag, 0, long.MaxValue, 100)).Count);
    }

    [Fact]
    public async Task Connect_BatchInTheMiddleFails_FailsAloneNothingAfterItAckedAndResentStoredOnce()
    {
        var install = SteeredTelemetryStore.Install(_data.Path, preservesCallOrder: true);
        await using var hub = await TestHub.StartAsync(_data.Path, install);
        var store = hub.App.Services.GetRequiredService<SteeredTelemetryStore>();
        store.FailOnce = 5;

        using (var stream = await hub.ConnectAsync("agent-fail"))
        {
            for (ulong sequence = 1; sequence <= 10; sequence++)
            {
                await stream.SendAsync(new AgentMessage { Telemetry = Batch(sequence) });
            }

            // Batches 6-10 commit while 5 still waits for its (failing) disk: their acks must not come early.
            var (acks, refusal, status) = await ReadUntilEndAsync(stream);
            Assert.Equal([1UL, 2, 3, 4], acks);
            Assert.NotNull(refusal);
            Assert.True(refusal.Retryable);
            Assert.Contains("batch 5", refusal.Reason, StringComparison.Ordinal);
            Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        }

        // The agent resends from its last ack: 5 fills its gap, 6-10 were stored and are not stored twice.
        using (var stream = await hub.ConnectAsync("agent-fail"))
        {
            for (ulong sequence = 5; sequence <= 10; sequence++)
            {
                await stream.SendAsync(new AgentMessage { Telemetry = Batch(sequence) });
            }

            Assert.Equal([5UL, 6, 7, 8, 9, 10], await ReadAcksAsync(stream, 6));
        }

        var agent = await hub.Store.GetAgentAsync("agent-fail");
        Assert.NotNull(agent);
        Assert.Equal(10, agent.Batches);
        Assert.Equal(0, agent.OpenGaps);
        Assert.Equal(20, (await hub.Store.QueryPointsAsync("agent-fail", Tag, 0, long.MaxValue, 100)).Count);
    }

    [Fact]
    public async Task Connect_LiveSnapshotBehindBatchesWaitingForTheirCommit_AppliedAtOnce()
    {
        await using var hub = await TestHub.StartAsync(_data.Path, null, "--Storage:BusyTimeout=00:00:30");
        using var stream = await hub.ConnectAsync("agent-live");
        var latest = hub.App.Services.GetRequiredService<LatestValues>();

        await using (await LockDatabaseAsync())
        {
            for (ulong sequence = 1; sequence <= 3; sequence++)
            {
                await stream.SendAsync(new AgentMessage { Telemetry = Batch(sequence) });
            }

            await stream.SendAsync(new AgentMessage { Live = new LiveSnapshot { Points = { Batches.Number("plc1/live", Batches.BaseNanos, 42) } } });

            await Eventually.TrueAsync(
                () => Task.FromResult(latest.Get("agent-live").Any(v => v.Point.Tag == "plc1/live")), "the live snapshot is applied", TimeSpan.FromSeconds(5));
            Assert.Equal(0UL, await hub.Store.GetHighestSequenceAsync("agent-live"));
        }

        Assert.Equal([1UL, 2, 3], await ReadAcksAsync(stream, 3));
    }

    [Fact]
    public async Task Connect_StoreThatMayReorderCalls_BatchesStoredOneAfterAnotherAckedInOrder()
    {
        var install = SteeredTelemetryStore.Install(_data.Path, preservesCallOrder: false);
        await using var hub = await TestHub.StartAsync(_data.Path, install);
        var store = hub.App.Services.GetRequiredService<SteeredTelemetryStore>();
        store.CommitDelay = TimeSpan.FromMilliseconds(20);
        using var stream = await hub.ConnectAsync("agent-serial");

        for (ulong sequence = 1; sequence <= 8; sequence++)
        {
            await stream.SendAsync(new AgentMessage { Telemetry = Batch(sequence) });
        }

        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8], await ReadAcksAsync(stream, 8));
        Assert.Equal(1, store.PeakInProgress);
        var agent = await hub.Store.GetAgentAsync("agent-serial");
        Assert.Equal(0, agent!.OpenGaps);
    }

    private static TelemetryBatch Batch(ulong sequence) => Batches.Numbers(sequence, Tag, Batches.BaseNanos + ((long)sequence * 1_000_000_000L), 2);

    /// <summary>
    /// A second connection holding SQLite's write lock (BEGIN IMMEDIATE): the hub's next commit waits
    /// for it, as behind a slow disk. Disposing rolls back and lets the hub go on.
    /// </summary>
    private async Task<SqliteConnection> LockDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, SqliteTelemetryStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<List<ulong>> ReadAcksAsync(AgentStream stream, int count)
    {
        var acks = new List<ulong>();
        while (acks.Count < count)
        {
            var message = await stream.ReadAsync();
            Assert.True(message.BodyCase == HubMessage.BodyOneofCase.Ack, $"expected an Ack, got {message}");
            acks.Add(message.Ack.Sequence);
        }

        return acks;
    }

    private static async Task<(List<ulong> Acks, Refusal? Refusal, Status Status)> ReadUntilEndAsync(AgentStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var acks = new List<ulong>();
        Refusal? refusal = null;
        try
        {
            while (await stream.Call.ResponseStream.MoveNext(timeout.Token))
            {
                var message = stream.Call.ResponseStream.Current;
                if (message.BodyCase == HubMessage.BodyOneofCase.Ack)
                {
                    acks.Add(message.Ack.Sequence);
                }

                refusal ??= message.Refusal;
            }
        }
        catch (RpcException error)
        {
            return (acks, refusal, error.Status);
        }

        return (acks, refusal, stream.Call.GetStatus());
    }
}
