using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>
/// What every <see cref="ITelemetryStore"/> must do; each backend runs these through a subclass, so the
/// in-memory twin cannot drift from the SQLite store.
/// </summary>
public abstract partial class TelemetryStoreBehaviourTests : IDisposable
{
    private const string Agent = "agent-1";
    private const string Tag = "plc1/temperature";
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Lazy<ITelemetryStore> _store;

    protected TelemetryStoreBehaviourTests() => _store = new Lazy<ITelemetryStore>(CreateStore);

    private ITelemetryStore Store => _store.Value;

    public void Dispose()
    {
        if (_store.IsValueCreated)
        {
            (_store.Value as IDisposable)?.Dispose();
        }

        DisposeBackend();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task IngestAsync_NewBatch_StoresPointsAndCounters()
    {
        var result = await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 3), Now);

        Assert.Equal(new IngestResult(IngestOutcome.Stored, 1), result);
        var agent = await Store.GetAgentAsync(Agent);
        Assert.NotNull(agent);
        Assert.Equal((1UL, 1L, 3L, 0), (agent.HighestSequence, agent.Batches, agent.Points, agent.OpenGaps));
        Assert.Equal(Now, agent.FirstSeen);
        Assert.Equal(3, (await Query()).Count);
    }

    [Fact]
    public async Task IngestAsync_ManyConcurrentCallers_EachBatchStoredOnceWithItsOwnResult()
    {
        // Eight agents, each sending 1..20 concurrently with a duplicate of every batch: whatever
        // way the store groups them, each (agent, sequence) is stored exactly once.
        var agents = Enumerable.Range(0, 8).Select(i => $"agent-{i}").ToList();
        var calls = agents.SelectMany(a => Enumerable.Range(1, 20).SelectMany(seq => new[]
        {
            (Agent: a, Seq: seq, Task: Store.IngestAsync(a, Batches.Numbers((ulong)seq, Tag, Batches.BaseNanos + (seq * 1_000_000_000L), 2), Now).AsTask()),
            (Agent: a, Seq: seq, Task: Store.IngestAsync(a, Batches.Numbers((ulong)seq, Tag, Batches.BaseNanos + (seq * 1_000_000_000L), 2), Now).AsTask()),
        })).ToList();

        await Task.WhenAll(calls.Select(c => c.Task));

        foreach (var group in calls.GroupBy(c => (c.Agent, c.Seq)))
        {
            var outcomes = group.Select(c => c.Task.Result.Outcome).Order().ToList();
            Assert.Equal([IngestOutcome.Stored, IngestOutcome.Duplicate], outcomes);
        }

        foreach (var agent in agents)
        {
            var record = await Store.GetAgentAsync(agent);
            Assert.Equal((20UL, 20L, 40L, 0), (record!.HighestSequence, record.Batches, record.Points, record.OpenGaps));
        }
    }

    [Fact]
    public async Task IngestAsync_NewOutboxEpoch_EpochRecordedAndItsJumpIsNoGap()
    {
        await Store.IngestAsync(Agent, "life-1", Batches.Numbers(1, Tag, Batches.BaseNanos, 1), Now);
        await Store.IngestAsync(Agent, "life-1", Batches.Numbers(2, Tag, Batches.BaseNanos + 1_000_000_000, 1), Now);
        Assert.Equal("life-1", await Store.GetOutboxEpochAsync(Agent));

        // A reinstalled agent moved its batches above the hub's mark: a new life, not a loss.
        var jump = await Store.IngestAsync(Agent, "life-2", Batches.Numbers(10, Tag, Batches.BaseNanos + 2_000_000_000, 1), Now);
        Assert.Null(jump.GapFrom);
        Assert.Equal("life-2", await Store.GetOutboxEpochAsync(Agent));
        Assert.Empty(await Store.ListGapsAsync(Agent));

        // Within one life a jump is still a gap.
        var gap = await Store.IngestAsync(Agent, "life-2", Batches.Numbers(15, Tag, Batches.BaseNanos + 3_000_000_000, 1), Now);
        Assert.Equal((11UL, 14UL), (gap.GapFrom, gap.GapTo));
    }

    [Fact]
    public async Task IngestAsync_SameSequenceTwice_StoredOnceAndReportedDuplicate()
    {
        await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 3), Now);

        var again = await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 3), Now.AddSeconds(1));

        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        Assert.Equal(1UL, again.HighestSequence);
        Assert.Equal(3, (await Query()).Count);
        var agent = await Store.GetAgentAsync(Agent);
        Assert.Equal((1L, 3L), (agent!.Batches, agent.Points));
    }

    [Fact]
    public async Task IngestAsync_OlderSequenceAlreadyStored_IsDuplicate()
    {
        await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 1), Now);
        await Store.IngestAsync(Agent, Batches.Numbers(2, Tag, Batches.BaseNanos + 10_000_000, 1), Now);

        var again = await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 1), Now);

        Assert.Equal(IngestResult.Duplicate(2), again);
        Assert.Equal(2, (await Query()).Count);
    }

    [Fact]
    public async Task IngestAsync_SequenceJump_RecordsGap()
    {
        await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 1), Now);

        var result = await Store.IngestAsync(Agent, Batches.Numbers(5, Tag, Batches.BaseNanos + 1_000_000_000, 1), Now.AddSeconds(1));

        Assert.Equal(new IngestResult(IngestOutcome.Stored, 5, 2, 4), result);
        var gap = Assert.Single(await Store.ListGapsAsync(Agent));
        Assert.Equal(new GapRecord(Agent, 2, 4, Now.AddSeconds(1), null, 3), gap);
        Assert.Equal(1, (await Store.GetAgentAsync(Agent))!.OpenGaps);
    }

    [Fact]
    public async Task IngestAsync_FirstBatchAboveOne_RecordsGapFromOne()
    {
        var result = await Store.IngestAsync(Agent, Batches.Numbers(3, Tag, Batches.BaseNanos, 1), Now);

        Assert.Equal(new IngestResult(IngestOutcome.Stored, 3, 1, 2), result);
    }

    [Fact]
    public async Task IngestAsync_MissingSequencesArrive_FillGap()
    {
        await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 1), Now);
        await Store.IngestAsync(Agent, Batches.Numbers(4, Tag, Batches.BaseNanos + 4_000_000_000, 1), Now);

        var partial = await Store.IngestAsync(Agent, Batches.Numbers(3, Tag, Batches.BaseNanos + 3_000_000_000, 1), Now.AddSeconds(1));
        var openGap = Assert.Single(await Store.ListGapsAsync(Agent));
        var last = await Store.IngestAsync(Agent, Batches.Numbers(2, Tag, Batches.BaseNanos + 2_000_000_000, 1), Now.AddSeconds(2));

        Assert.False(partial.FilledGap);
        Assert.Equal((1UL, (DateTimeOffset?)null), (openGap.Missing, openGap.FilledAt));
        Assert.Equal(new IngestResult(IngestOutcome.Stored, 4, null, null, FilledGap: true), last);
        var filled = Assert.Single(await Store.ListGapsAsync(Agent));
        Assert.Equal(new GapRecord(Agent, 2, 3, Now, Now.AddSeconds(2), 0), filled);
        var agent = await Store.GetAgentAsync(Agent);
        Assert.Equal((4UL, 4L, 0), (agent!.HighestSequence, agent.Batches, agent.OpenGaps));
    }

    [Fact]
    public async Task QueryPointsAsync_Range_ReturnsHalfOpenRangeOrderedByTime()
    {
        // Out of time order across and within batches; the query sorts.
        await Store.IngestAsync(Agent, Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos + 30, 3), Batches.Number(Tag, Batches.BaseNanos + 10, 1)), Now);
        await Store.IngestAsync(Agent, Batches.Create(2, Batches.Number(Tag, Batches.BaseNanos + 20, 2), Batches.Number(Tag, Batches.BaseNanos + 40, 4)), Now);

        var points = await Store.QueryPointsAsync(Agent, Tag, Batches.BaseNanos + 10, Batches.BaseNanos + 40, 100);

        Assert.Equal([1.0, 2.0, 3.0], points.Select(p => (double)p.Value!));
        Assert.Equal([Batches.BaseNanos + 10, Batches.BaseNanos + 20, Batches.BaseNanos + 30], points.Select(p => p.TimeUnixNano));
    }

    [Fact]
    public async Task QueryPointsAsync_Limit_ReturnsEarliestPoints()
    {
        await Store.IngestAsync(Agent, Batches.Numbers(1, Tag, Batches.BaseNanos, 50), Now);

        var points = await Store.QueryPointsAsync(Agent, Tag, Batches.BaseNanos, long.MaxValue, 5);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => Batches.BaseNanos + (i * 1_000_000L)), points.Select(p => p.TimeUnixNano));
    }

    [Fact]
    public async Task QueryPointsAsync_EqualTimes_KeepArrivalOrder()
    {
        await Store.IngestAsync(Agent, Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 1), Batches.Number(Tag, Batches.BaseNanos, 2)), Now);
        await Store.IngestAsync(Agent, Batches.Create(2, Batches.Number(Tag, Batches.BaseNanos, 3)), Now);

        var points = await Store.QueryPointsAsync(Agent, Tag, Batches.BaseNanos, Batches.BaseNanos + 1, 10);

        Assert.Equal([1.0, 2.0, 3.0], points.Select(p => (double)p.Value!));
    }

    [Fact]
    public async Task QueryPointsAsync_EveryValueKind_RoundTripsExactly()
    {
        var t = Batches.BaseNanos + 123_456_789;
        await Store.IngestAsync(
            Agent,
            Batches.Create(
                1,
                Batches.Number(Tag, t, 0.1 + 0.2),
                Batches.Integer(Tag, t + 1, long.MaxValue),
                Batches.Flag(Tag, t + 2, true),
                Batches.Text(Tag, t + 3, "überhitzt ✓"),
                Batches.Bad(Tag, t + 4, Quality.BadDeviceException, 2),
                Batches.Number(Tag, t + 5, double.NaN, Quality.Uncertain),
                Batches.Integer(Tag, t + 6, long.MinValue),
                Batches.Flag(Tag, t + 7, false),
                Batches.Number(Tag, t + 8, double.PositiveInfinity),
                Batches.Number(Tag, t + 9, double.NegativeInfinity),
                Batches.Number(Tag, t + 10, -0.0)),
            Now);

        var points = await Store.QueryPointsAsync(Agent, Tag, t, t + 11, 20);

        Assert.Equal(
            [
                new StoredPoint(t, 0.1 + 0.2, Quality.Good, 0),
                new StoredPoint(t + 1, long.MaxValue, Quality.Good, 0),
                new StoredPoint(t + 2, true, Quality.Good, 0),
                new StoredPoint(t + 3, "überhitzt ✓", Quality.Good, 0),
                new StoredPoint(t + 4, null, Quality.BadDeviceException, 2),
                new StoredPoint(t + 5, double.NaN, Quality.Uncertain, 0),
                new StoredPoint(t + 6, long.MinValue, Quality.Good, 0),
                new StoredPoint(t + 7, false, Quality.Good, 0),
                new StoredPoint(t + 8, double.PositiveInfinity, Quality.Good, 0),
                new StoredPoint(t + 9, double.NegativeInfinity, Quality.Good, 0),
                new StoredPoint(t + 10, -0.0, Quality.Good, 0),
            ],
            points);
    }

    [Fact]
    public async Task QueryPointsAsync_OtherTagOrAgent_NotReturned()
    {
        await Store.IngestAsync(Agent, Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 1), Batches.Number("plc1/pressure", Batches.BaseNanos, 2)), Now);
        await Store.IngestAsync("agent-2", Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 3)), Now);

        var points = await Query();

        Assert.Equal([1.0], points.Select(p => (double)p.Value!));
        Assert.Empty(await Store.QueryPointsAsync("agent-3", Tag, 0, long.MaxValue, 10));
    }

    [Theory]
    [InlineData(0UL, "plc1/t", true)]
    [InlineData(1UL, "no-slash", true)]
    [InlineData(1UL, "plc1/", true)]
    [InlineData(1UL, "a/b/c", true)]
    [InlineData(1UL, "plc1/t", false)]
    public async Task IngestAsync_InvalidBatch_ThrowsAndStoresNothing(ulong sequence, string tag, bool withValue)
    {
        var point = withValue ? Batches.Number(tag, Batches.BaseNanos, 1) : new Point { Tag = tag, TimeUnixNano = (ulong)Batches.BaseNanos };

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.IngestAsync(Agent, Batches.Create(sequence, point), Now));

        Assert.Null(await Store.GetAgentAsync(Agent));
    }

    [Fact]
    public async Task TouchAgentAsync_NullVersionAndOlderTime_KeepStoredValues()
    {
        await Store.TouchAgentAsync(Agent, "1.0.0", Now);
        await Store.TouchAgentAsync(Agent, null, Now.AddMinutes(5));
        await Store.TouchAgentAsync(Agent, null, Now.AddMinutes(1));

        var agent = await Store.GetAgentAsync(Agent);

        Assert.Equal(("1.0.0", Now, Now.AddMinutes(5), 0UL), (agent!.AgentVersion, agent.FirstSeen, agent.LastSeen, agent.HighestSequence));
    }

    [Fact]
    public async Task GetHighestSequenceAsync_UnknownAgent_IsZero() => Assert.Equal(0UL, await Store.GetHighestSequenceAsync("nobody"));

    [Fact]
    public async Task ListAgentsAsync_SeveralAgents_OrderedById()
    {
        foreach (var id in new[] { "b", "c", "a" })
        {
            await Store.TouchAgentAsync(id, "1", Now);
        }

        Assert.Equal(["a", "b", "c"], (await Store.ListAgentsAsync()).Select(a => a.AgentId));
    }

    [Fact]
    public async Task PingAsync_OpenStore_Answers() => await Store.PingAsync();

    /// <summary>Creates the store under test (called once per test).</summary>
    private protected abstract ITelemetryStore CreateStore();

    /// <summary>Removes what the backend left behind after the store is disposed.</summary>
    private protected virtual void DisposeBackend()
    {
    }

    private async Task<IReadOnlyList<StoredPoint>> Query() => await Store.QueryPointsAsync(Agent, Tag, 0, long.MaxValue, 10_000);
}
