using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>
/// A group commit writes the points of all its stored batches grouped by series (one block per series per group)
/// and its rollups folded per bucket: every point once, read back in time-then-arrival order, and a batch that
/// fails or is a duplicate contributing nothing.
/// </summary>
public sealed partial class SqliteTelemetryStoreTests
{
    private const int GroupTags = 40;

    [Fact]
    public async Task IngestAsync_GroupOfBatchesOverManySeries_OneBlockPerSeriesEveryPointOnceInTimeThenArrivalOrder()
    {
        // Eight batches over forty tags, like a gateway's poll of many registers: timestamps repeat across batches,
        // so only arrival order (batch, then position) can order the ties.
        using var store = Open();
        var groupsBefore = store.GroupsCommitted;
        var batches = Enumerable.Range(1, 8).Select(seq => GroupBatch((ulong)seq)).ToList();

        var results = await IngestTogether(store, batches);

        Assert.All(results, r => Assert.Equal(IngestOutcome.Stored, r.Result!.Value.Outcome));
        Assert.Equal(1, store.GroupsCommitted - groupsBefore);
        Assert.Equal((long)GroupTags, ReadColumn("SELECT COUNT(*) FROM point_blocks")[0]);
        await AssertStoredExactly(store, batches);
    }

    [Fact]
    public async Task IngestAsync_BadBatchInTheMiddleOfAGroup_ContributesNothingAndTheOthersAreStored()
    {
        // A real SQLite failure in batch 3's own savepoint (a trigger refusing one of its tags) after its other series.
        using var store = Open();
        Execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON series_ids WHEN NEW.tag = 'plc1/poison' BEGIN SELECT RAISE(ABORT, 'poisoned tag'); END");
        var groupsBefore = store.GroupsCommitted;
        var batches = Enumerable.Range(1, 5).Select(seq => GroupBatch((ulong)seq)).ToList();
        batches[2].Points.Add(Batches.Number("plc1/poison", Batches.BaseNanos, 1));

        var results = await IngestTogether(store, batches);

        Assert.Equal(1, store.GroupsCommitted - groupsBefore);
        Assert.IsType<SqliteException>(results[2].Error);
        Assert.All(results.Where((_, i) => i != 2), r => Assert.Equal(IngestOutcome.Stored, r.Result!.Value.Outcome));
        await AssertStoredExactly(store, [.. batches.Where((_, i) => i != 2)]);
        Assert.Equal([3L], ReadColumn("SELECT from_seq FROM gaps WHERE to_seq = 3"));
    }

    [Fact]
    public async Task IngestAsync_DuplicateBatchInAGroup_ContributesNoPoints()
    {
        using var store = Open();
        var first = GroupBatch(1);
        await store.IngestAsync("agent-1", first, Now);
        var again = GroupBatch(1);
        foreach (var point in again.Points)
        {
            point.Number += 1000;
        }

        var results = await IngestTogether(store, [GroupBatch(2), again, GroupBatch(3)]);

        Assert.Equal([IngestOutcome.Stored, IngestOutcome.Duplicate, IngestOutcome.Stored], results.Select(r => r.Result!.Value.Outcome));
        await AssertStoredExactly(store, [first, GroupBatch(2), GroupBatch(3)]);
    }

    [Fact]
    public async Task IngestAsync_GroupBlocksFailToWrite_EveryBatchFailsNothingIsLeftAndARetryStoresThem()
    {
        // A real failure after every savepoint was released: a trigger refusing the block of one series.
        using var store = Open();
        Execute("""
            CREATE TRIGGER refuse_block BEFORE INSERT ON point_blocks
            WHEN NEW.series_id = (SELECT series_id FROM series_ids WHERE tag = 'plc1/refused')
            BEGIN SELECT RAISE(ABORT, 'refused block'); END
            """);
        var groupsBefore = store.GroupsCommitted;
        var batches = Enumerable.Range(1, 3).Select(seq => GroupBatch((ulong)seq)).ToList();
        batches[1].Points.Add(Batches.Number("plc1/refused", Batches.BaseNanos, 1));

        var results = await IngestTogether(store, batches);

        Assert.All(results, r => Assert.IsType<SqliteException>(r.Error));
        Assert.Equal(0, store.GroupsCommitted - groupsBefore);
        foreach (var table in new[] { "point_blocks", "batches", "agents", "series_ids", "rollup_1m", "rollup_1h" })
        {
            Assert.Equal(0L, ReadColumn($"SELECT COUNT(*) FROM {table}")[0]);
        }

        // The writer cache forgot the failed group's agent and series: the same batches are stored, not duplicates.
        Execute("DROP TRIGGER refuse_block");
        var retried = await IngestTogether(store, batches);

        Assert.All(retried, r => Assert.Equal(IngestOutcome.Stored, r.Result!.Value.Outcome));
        await AssertStoredExactly(store, batches);
    }

    /// <summary>One point per tag, the timestamps repeating every third batch; values name the batch and tag.</summary>
    private static TelemetryBatch GroupBatch(ulong sequence)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        for (var tag = 0; tag < GroupTags; tag++)
        {
            batch.Points.Add(Batches.Number($"plc1/r{tag}", Batches.BaseNanos + ((long)(sequence % 3) * Second), (sequence * 1000.0) + tag));
        }

        return batch;
    }

    /// <summary>Queues every batch before any is awaited, so they share one group commit.</summary>
    private static async Task<List<(IngestResult? Result, Exception? Error)>> IngestTogether(SqliteTelemetryStore store, List<TelemetryBatch> batches)
    {
        List<Task<IngestResult>> calls;
        using (await store.HoldWritesAsync())
        {
            calls = [.. batches.Select(batch => store.IngestAsync("agent-1", batch, Now).AsTask())];
            Assert.Equal(batches.Count, store.QueuedIngests);
        }

        var results = new List<(IngestResult?, Exception?)>();
        foreach (var call in calls)
        {
            try
            {
                results.Add((await call, null));
            }
            catch (SqliteException ex)
            {
                results.Add((null, ex));
            }
        }

        return results;
    }

    /// <summary>Each tag holds exactly the points of <paramref name="stored"/> (in the order given), by time then arrival, and rollups counting them once.</summary>
    private static async Task AssertStoredExactly(SqliteTelemetryStore store, IReadOnlyList<TelemetryBatch> stored)
    {
        foreach (var tag in Enumerable.Range(0, GroupTags).Select(t => $"plc1/r{t}"))
        {
            var expected = stored.SelectMany(b => b.Points).Where(p => p.Tag == tag)
                .Select((p, arrival) => (Ts: (long)p.TimeUnixNano, p.Number, Arrival: arrival))
                .OrderBy(p => p.Ts).ThenBy(p => p.Arrival).Select(p => (p.Ts, p.Number)).ToList();
            var got = await store.QueryPointsAsync("agent-1", tag, 0, long.MaxValue, 1000);
            Assert.Equal(expected, got.Select(p => (p.TimeUnixNano, (double)p.Value!)));

            var minute = Assert.Single(await store.QueryRollupsAsync("agent-1", tag, RollupResolution.OneMinute, 0, long.MaxValue, 10));
            Assert.Equal(expected.Count, minute.Count);
            Assert.Equal(expected.Sum(p => p.Number), minute.Sum);
            Assert.Equal(expected.Max(p => p.Number), minute.Max);
        }
    }
}
