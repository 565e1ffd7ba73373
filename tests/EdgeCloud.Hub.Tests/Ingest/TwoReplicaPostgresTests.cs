using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Tests.Ingest;

/// <summary>
/// Two real hubs (Kestrel + gRPC) sharing one PostgreSQL database, as two replicas behind a load balancer:
/// both accept streams, an agent that moves from one to the other resumes where the first left off, and a
/// replayed sequence is never stored twice, whichever replica receives it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoReplicaPostgresTests(PostgresServer server) : IAsyncLifetime, IDisposable
{
    private const string Tag = "plc1/temperature";

    private readonly TempDirectory _dataA = new();
    private readonly TempDirectory _dataB = new();
    private string _database = "";
    private TestHub _a = null!;
    private TestHub _b = null!;

    public async Task InitializeAsync()
    {
        _database = server.CreateDatabase();
        string[] postgres = ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={_database}"];

        // Started together: both migrate the empty database at once (the advisory lock lets one do it).
        var starts = await Task.WhenAll(TestHub.StartAsync(_dataA.Path, null, postgres), TestHub.StartAsync(_dataB.Path, null, postgres));
        (_a, _b) = (starts[0], starts[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        server.DropDatabase(_database);
    }

    public void Dispose()
    {
        _dataA.Dispose();
        _dataB.Dispose();
    }

    [Fact]
    public async Task Stream_AgentMovesToOtherReplicaAndReplays_EachSequenceStoredOnce()
    {
        // agent-x streams 1..5 to replica A; its link drops before it saw the acks of 4 and 5 (so it will replay them).
        using (var first = await _a.ConnectAsync("agent-x"))
        {
            for (ulong seq = 1; seq <= 5; seq++)
            {
                Assert.Equal(seq, await first.SendBatchAsync(Batch(seq)));
            }
        }

        // Meanwhile agent-y streams to replica B.
        using var other = await _b.ConnectAsync("agent-y");
        var otherAcks = Enumerable.Range(1, 4).Select(i => (ulong)i).ToList();
        foreach (var seq in otherAcks)
        {
            await other.SendBatchAsync(Batch(seq));
        }

        // agent-x reconnects through the load balancer and lands on B: B knows what A stored.
        using var second = await _b.ConnectAsync("agent-x");
        Assert.Equal(5UL, second.Welcome.HighestDurableSequence);
        var acks = new List<ulong>();
        for (ulong seq = 4; seq <= 8; seq++)
        {
            acks.Add(await second.SendBatchAsync(Batch(seq)));
        }

        // A replay straight at A too (a duplicate delivery on a second path) changes nothing.
        using (var stray = await _a.ConnectAsync("agent-x"))
        {
            Assert.Equal(8UL, stray.Welcome.HighestDurableSequence);
            Assert.Equal(7UL, await stray.SendBatchAsync(Batch(7)));
        }

        Assert.Equal([4UL, 5UL, 6UL, 7UL, 8UL], acks);
        foreach (var hub in new[] { _a, _b })
        {
            var agent = await hub.Http.GetFromJsonAsync<JsonElement>("/api/v1/agents/agent-x");
            Assert.Equal((8UL, 8L, 40L), (agent.GetProperty("highestSequence").GetUInt64(), agent.GetProperty("batches").GetInt64(), agent.GetProperty("points").GetInt64()));
            Assert.Empty(await hub.Store.ListGapsAsync("agent-x"));
            Assert.Equal(40, (await hub.Store.QueryPointsAsync("agent-x", Tag, 0, long.MaxValue, 1000)).Count);
        }

        // The rollups count each point once too.
        var rollups = (ITelemetryRollups)_a.Store;
        Assert.Equal(40, (await rollups.QueryRollupsAsync("agent-x", Tag, RollupResolution.OneHour, 0, long.MaxValue, 10)).Sum(b => b.Count));
        Assert.Equal(4UL, (await _a.Store.GetAgentAsync("agent-y"))!.HighestSequence);
    }

    [Fact]
    public async Task ReplicaBus_PublishedOnA_ReachesSubscriberOnB()
    {
        // The seam for routing a command to the replica that holds the agent's stream (the routing itself is the fleet work).
        var busA = _a.App.Services.GetRequiredService<IReplicaBus>();
        var busB = _b.App.Services.GetRequiredService<IReplicaBus>();
        await Task.WhenAll(((PostgresReplicaBus)busA).Listening, ((PostgresReplicaBus)busB).Listening).WaitAsync(TimeSpan.FromSeconds(10));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = busB.Subscribe("agent-command", (payload, _) =>
        {
            received.TrySetResult(payload);
            return ValueTask.CompletedTask;
        });

        await busA.PublishAsync("agent-command", "agent-x");

        Assert.Equal("agent-x", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static Proto.Sync.V1.TelemetryBatch Batch(ulong sequence) =>
        Batches.Numbers(sequence, Tag, Batches.BaseNanos + ((long)sequence * 1_000_000_000L), 5);
}
