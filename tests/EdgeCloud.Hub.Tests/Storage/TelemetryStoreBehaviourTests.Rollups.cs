using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>Rollups kept on ingest, the same on every backend.</summary>
public abstract partial class TelemetryStoreBehaviourTests
{
    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;

    /// <summary>2023-11-14T22:00:00Z: the start of an hour and of a minute.</summary>
    private const long Hour0 = Batches.BaseNanos - (Batches.BaseNanos % (3600 * Second));

    private ITelemetryRollups Rollups => (ITelemetryRollups)Store;

    [Fact]
    public async Task QueryRollupsAsync_AfterIngest_CountMinMaxSumLastPerMinuteAndHour()
    {
        await Store.IngestAsync(
            Agent,
            Batches.Create(
                1,
                Batches.Number(Tag, Hour0 + (10 * Second), 4),
                Batches.Integer(Tag, Hour0 + (20 * Second), 2),
                Batches.Flag(Tag, Hour0 + (30 * Second), true),
                Batches.Number(Tag, Hour0 + (5 * Second), 10),
                Batches.Number(Tag, Hour0 + Minute + Second, -3),
                // Not counted: text, bad, uncertain, NaN, infinity, another tag.
                Batches.Text(Tag, Hour0 + (40 * Second), "x"),
                Batches.Bad(Tag, Hour0 + (41 * Second), Quality.BadTimeout, 0),
                Batches.Number(Tag, Hour0 + (42 * Second), 99, Quality.Uncertain),
                Batches.Number(Tag, Hour0 + (43 * Second), double.NaN),
                Batches.Number(Tag, Hour0 + (44 * Second), double.PositiveInfinity),
                Batches.Number("plc1/other", Hour0 + (45 * Second), 1000)),
            Now);

        var minutes = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, 0, long.MaxValue, 100);
        var hours = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneHour, 0, long.MaxValue, 100);

        Assert.Equal(
            [
                new RollupBucket(Hour0, 4, 1, 10, 17, 1, Hour0 + (30 * Second)),
                new RollupBucket(Hour0 + Minute, 1, -3, -3, -3, -3, Hour0 + Minute + Second),
            ],
            minutes);
        Assert.Equal([new RollupBucket(Hour0, 5, -3, 10, 14, -3, Hour0 + Minute + Second)], hours);
        Assert.Equal(4.25, minutes[0].Avg);
    }

    [Fact]
    public async Task QueryRollupsAsync_LaterBatchesMergeAndDuplicatesDoNot_LastIsLatestTime()
    {
        await Store.IngestAsync(Agent, Batches.Create(1, Batches.Number(Tag, Hour0 + (30 * Second), 5)), Now);

        // Arrives later but is older: merges into the bucket without becoming its last value.
        await Store.IngestAsync(Agent, Batches.Create(2, Batches.Number(Tag, Hour0 + (10 * Second), 7)), Now);
        await Store.IngestAsync(Agent, Batches.Create(2, Batches.Number(Tag, Hour0 + (10 * Second), 7)), Now);
        await Store.IngestAsync(Agent, Batches.Create(3, Batches.Number(Tag, Hour0 + (30 * Second), 6)), Now);

        var bucket = Assert.Single(await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, Hour0, Hour0 + Minute, 10));

        // Equal latest times: the one that arrived last wins.
        Assert.Equal(new RollupBucket(Hour0, 3, 5, 7, 18, 6, Hour0 + (30 * Second)), bucket);
    }

    [Fact]
    public async Task QueryRollupsAsync_RangeAndLimit_BucketStartsInHalfOpenRange()
    {
        for (ulong seq = 1; seq <= 5; seq++)
        {
            await Store.IngestAsync(Agent, Batches.Create(seq, Batches.Number(Tag, Hour0 + ((long)seq * Minute) + Second, seq)), Now);
        }

        var buckets = await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, Hour0 + (2 * Minute), Hour0 + (5 * Minute), 2);

        Assert.Equal([Hour0 + (2 * Minute), Hour0 + (3 * Minute)], buckets.Select(b => b.BucketUnixNano));
    }

    [Fact]
    public async Task QueryFleetRollupsAsync_SeveralAgents_OnlyThoseAskedOrderedByBucketThenAgent()
    {
        await Store.IngestAsync("site-b-1", Batches.Create(1, Batches.Number(Tag, Hour0 + Second, 1), Batches.Number(Tag, Hour0 + Minute, 2)), Now);
        await Store.IngestAsync("site-a-1", Batches.Create(1, Batches.Number(Tag, Hour0 + Second, 10)), Now);
        await Store.IngestAsync("site-c-1", Batches.Create(1, Batches.Number(Tag, Hour0 + Second, 100)), Now);

        var rows = await Rollups.QueryFleetRollupsAsync(["site-b-1", "site-a-1", "unknown"], Tag, RollupResolution.OneMinute, 0, long.MaxValue, 100);

        Assert.Equal(
            [("site-a-1", Hour0, 10.0), ("site-b-1", Hour0, 1.0), ("site-b-1", Hour0 + Minute, 2.0)],
            rows.Select(r => (r.AgentId, r.Bucket.BucketUnixNano, r.Bucket.Sum)));
    }
}
