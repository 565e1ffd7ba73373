using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Hub.Tests.Ingest;

/// <summary>
/// A batch carrying compacted entries (the agent's disk budget folded older batches into rollups) over a
/// real hub on loopback Kestrel: each entry is stored under its own sequence, exactly once.
/// </summary>
public sealed class CompactedIngestTests : IAsyncLifetime, IDisposable
{
    private const string Tag = "plc1/temperature";
    private const long Minute = 60_000_000_000L;
    private const long Hour0 = Batches.BaseNanos - (Batches.BaseNanos % (60 * Minute));

    private readonly TempDirectory _data = new();
    private TestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestHub.StartAsync(_data.Path);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Connect_CarrierOfCompactedEntries_EachStoredUnderItsSequenceOnceAndTheGapFilled()
    {
        using (var stream = await _hub.ConnectAsync("agent-c"))
        {
            Assert.Equal(1UL, await stream.SendBatchAsync(Batches.Create(1, Batches.Number(Tag, Hour0, 1))));
            // Sequences 2 and 3 were compacted (3 was an event moved above: an empty entry); 4 is raw.
            Assert.Equal(4UL, await stream.SendBatchAsync(Batches.Create(4, Batches.Number(Tag, Hour0 + Minute, 2))));
            Assert.Equal(5UL, await stream.SendBatchAsync(Carrier()));
        }

        // The same carrier again on a new stream (its ack was lost): nothing is stored twice.
        using (var again = await _hub.ConnectAsync("agent-c"))
        {
            Assert.Equal(5UL, again.Welcome.HighestDurableSequence);
            Assert.Equal(5UL, await again.SendBatchAsync(Carrier()));
        }

        var agent = await _hub.Http.GetFromJsonAsync<JsonElement>("/api/v1/agents/agent-c");
        Assert.Equal((500L, 2L, 0L, 0), (agent.GetProperty("compactedPoints").GetInt64(), agent.GetProperty("points").GetInt64(), agent.GetProperty("droppedPoints").GetInt64(), agent.GetProperty("gaps").GetInt32()));
        var rollups = (ITelemetryRollups)_hub.Store;
        var minutes = await rollups.QueryRollupsAsync("agent-c", Tag, RollupResolution.OneMinute, 0, long.MaxValue, 10);
        Assert.Equal([501L, 1L], minutes.Select(m => m.Count));
        Assert.Equal(0.0, minutes[0].Min);
        Assert.Equal(50.0, minutes[0].Max);
    }

    [Fact]
    public async Task Connect_CompactedEntryNotBelowItsCarrier_RefusedNamingTheEntry()
    {
        using var stream = await _hub.ConnectAsync("agent-c");
        var carrier = Carrier();
        carrier.Compacted[1].Sequence = 9;

        await stream.SendAsync(new AgentMessage { Telemetry = carrier });
        var (refusal, status) = await stream.ReadToEndAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("compacted entry 1: sequence 9 must lie between 1 and 4, below the carrying batch", refusal!.Reason, StringComparison.Ordinal);
        Assert.Equal(0UL, await _hub.Store.GetHighestSequenceAsync("agent-c"));
    }

    private static TelemetryBatch Carrier()
    {
        var entry = new TelemetryBatch { Sequence = 2, CompactedPoints = 500 };
        entry.Rollups.Add(new Rollup
        {
            Tag = Tag,
            WindowStartUnixNano = (ulong)Hour0,
            WindowSeconds = 60,
            Count = 500,
            Min = 0,
            Max = 50,
            Sum = 12_500,
            Last = 25,
            LastTimeUnixNano = (ulong)(Hour0 + 1_000_000_000),
        });
        var carrier = new TelemetryBatch { Sequence = 5 };
        carrier.Compacted.Add(entry);
        carrier.Compacted.Add(new TelemetryBatch { Sequence = 3 });
        return carrier;
    }
}
