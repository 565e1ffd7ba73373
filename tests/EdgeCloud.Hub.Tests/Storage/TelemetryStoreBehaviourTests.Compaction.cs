using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>Batches an agent compacted into rollups before sending (its disk budget), the same on every backend.</summary>
public abstract partial class TelemetryStoreBehaviourTests
{
    [Fact]
    public async Task IngestAsync_CompactedBatch_RollupsMergeWithRawFillsItsGapAndCountsItsPoints()
    {
        await Store.IngestAsync(Agent, Batches.Create(1, Batches.Number(Tag, Hour0 + (10 * Second), 4)), Now);
        await Store.IngestAsync(Agent, Batches.Create(3, Batches.Number(Tag, Hour0 + Minute + Second, 7)), Now);
        var entry = Compacted(2, Rollup(Tag, Hour0, count: 3, min: 1, max: 9, sum: 15, last: 9, lastAt: Hour0 + (50 * Second)));
        entry.Points.Add(Batches.Bad(Tag, Hour0 + (20 * Second), Quality.BadTimeout, 0)); // kept raw by the agent

        var result = await Store.IngestAsync(Agent, entry, Now);
        var again = await Store.IngestAsync(Agent, entry, Now);

        Assert.Equal((IngestOutcome.Stored, true), (result.Outcome, result.FilledGap));
        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        var minutes = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, 0, long.MaxValue, 100);
        var hours = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneHour, 0, long.MaxValue, 100);
        Assert.Equal(
            [
                new RollupBucket(Hour0, 4, 1, 9, 19, 9, Hour0 + (50 * Second)),
                new RollupBucket(Hour0 + Minute, 1, 7, 7, 7, 7, Hour0 + Minute + Second),
            ],
            minutes);
        Assert.Equal([new RollupBucket(Hour0, 5, 1, 9, 26, 7, Hour0 + Minute + Second)], hours);
        var agent = await Store.GetAgentAsync(Agent);
        Assert.Equal((3L, 3L, 3L, 0), (agent!.Batches, agent.Points, agent.CompactedPoints, agent.OpenGaps));
        Assert.All(await Store.ListGapsAsync(Agent), g => Assert.NotNull(g.FilledAt));
    }

    [Fact]
    public async Task IngestAsync_CompactedRollupsOfSeveralWindows_EachMergesIntoTheMinuteHoldingIt()
    {
        var entry = Compacted(
            1,
            Rollup(Tag, Hour0 + (10 * Second), count: 2, min: 1, max: 2, sum: 3, last: 2, lastAt: Hour0 + (19 * Second), windowSeconds: 10),
            Rollup(Tag, Hour0 + (50 * Second), count: 1, min: 5, max: 5, sum: 5, last: 5, lastAt: Hour0 + (55 * Second), windowSeconds: 10),
            Rollup(Tag, Hour0 + Minute, count: 1, min: -1, max: -1, sum: -1, last: -1, lastAt: Hour0 + Minute, windowSeconds: 10));

        await Store.IngestAsync(Agent, entry, Now);

        var minutes = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, 0, long.MaxValue, 100);
        Assert.Equal(
            [
                new RollupBucket(Hour0, 3, 1, 5, 8, 5, Hour0 + (55 * Second)),
                new RollupBucket(Hour0 + Minute, 1, -1, -1, -1, -1, Hour0 + Minute),
            ],
            minutes);
        Assert.Equal(4L, (await Store.GetAgentAsync(Agent))!.CompactedPoints);
    }

    private static TelemetryBatch Compacted(ulong sequence, params Rollup[] rollups)
    {
        var batch = new TelemetryBatch { Sequence = sequence, CompactedPoints = (ulong)rollups.Sum(r => (long)r.Count) };
        batch.Rollups.AddRange(rollups);
        return batch;
    }

    private static Rollup Rollup(string tag, long start, ulong count, double min, double max, double sum, double last, long lastAt, uint windowSeconds = 60) => new()
    {
        Tag = tag,
        WindowStartUnixNano = (ulong)start,
        WindowSeconds = windowSeconds,
        Count = count,
        Min = min,
        Max = max,
        Sum = sum,
        Last = last,
        LastTimeUnixNano = (ulong)lastAt,
    };
}
