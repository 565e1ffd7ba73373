using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>The shared store behaviour over a real SQLite file, and what only a file can show: reopening.</summary>
public sealed partial class SqliteTelemetryStoreTests : TelemetryStoreBehaviourTests
{
    private const string Tag = "plc1/temperature";
    private const long Second = 1_000_000_000;
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();

    private string DataDirectory => Path.Combine(_folder.Path, "data");

    [Fact]
    public async Task Open_SameFileAgain_HighestSequenceAndPointsSurvive()
    {
        using (var first = Open())
        {
            await first.IngestAsync("agent-1", Batches.Numbers(7, Tag, Batches.BaseNanos, 4), Now);
        }

        using var second = Open();

        Assert.Equal(7UL, await second.GetHighestSequenceAsync("agent-1"));
        Assert.Equal(4, (await second.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 100)).Count);
        Assert.Equal(6UL, Assert.Single(await second.ListGapsAsync("agent-1")).ToSequence);
    }

    [Fact]
    public async Task IngestAsync_SameBatchAfterReopen_IsDuplicateAndNotDoubled()
    {
        // The hub crashed after its commit and before its Ack: the agent resends to a restarted hub.
        using (var beforeCrash = Open())
        {
            await beforeCrash.IngestAsync("agent-1", Batches.Numbers(1, Tag, Batches.BaseNanos, 5), Now);
        }

        using var afterRestart = Open();
        var result = await afterRestart.IngestAsync("agent-1", Batches.Numbers(1, Tag, Batches.BaseNanos, 5), Now.AddMinutes(1));

        Assert.Equal(IngestOutcome.Duplicate, result.Outcome);
        Assert.Equal(5, (await afterRestart.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 100)).Count);
        Assert.Equal(5L, (await afterRestart.GetAgentAsync("agent-1"))!.Points);
    }

    [Fact]
    public void Open_ThreeTimes_AppliesEachMigrationOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            using var store = Open();
        }

        var versions = ReadColumn("SELECT version FROM schema_version ORDER BY version");

        Assert.Equal(Enumerable.Range(1, SqliteMigrations.LatestVersion).Select(v => (long)v), versions.Cast<long>());
    }

    [Fact]
    public void Open_DatabaseFromNewerHub_Refuses()
    {
        using (Open())
        {
        }

        Execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");

        var error = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DatabaseAtVersion2_BackfillsSeriesAndRollupsFromStoredPoints()
    {
        // A hub from before the rollups stored these points; the upgrade must roll them up exactly as ingest would.
        Directory.CreateDirectory(DataDirectory);
        Execute(
            "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);"
            + SqliteMigrations.Steps[0] + SqliteMigrations.Steps[1]
            + "INSERT INTO schema_version VALUES (1, 0), (2, 0);"
            + "INSERT INTO points (agent_id, tag, ts, value_kind, num, int_num, txt, quality, detail) VALUES "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 2}, 3, 5.0, NULL, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 1}, 4, NULL, 7, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 2}, 5, NULL, 1, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 3}, 3, NULL, NULL, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 4}, 3, 9.0, NULL, NULL, 2, 0), "
            + $"('agent-1', 'plc1/text', {Batches.BaseNanos}, 6, NULL, NULL, 'on', 0, 0);");

        using var store = Open();
        var bucket = Assert.Single(await store.QueryRollupsAsync("agent-1", Tag, RollupResolution.OneMinute, 0, long.MaxValue, 10));

        // NaN (NULL num) and the bad point are not counted; of the two at the latest time the later row wins.
        Assert.Equal(new RollupBucket(BatchRollup.BucketStart(Batches.BaseNanos, RollupResolution.OneMinute), 3, 1, 7, 13, 1, Batches.BaseNanos + 2), bucket);
        Assert.Single(await store.QueryRollupsAsync("agent-1", Tag, RollupResolution.OneHour, 0, long.MaxValue, 10));
        Assert.Equal(["plc1/temperature", "plc1/text"], ReadColumn("SELECT tag FROM series ORDER BY tag").Cast<string>());
    }

    [Fact]
    public async Task Open_DatabaseAtVersion5WithPoints_ConvertsEveryPointToBlocksOnce()
    {
        // A hub from before the block layout stored these rows; after the upgrade each reads back once, in
        // (time, arrival) order, and the old table is gone. 5000 one-second points of one tag need several blocks.
        Directory.CreateDirectory(DataDirectory);
        var rows = new System.Text.StringBuilder(
            "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);"
            + string.Concat(SqliteMigrations.Steps.Take(5))
            + "INSERT INTO schema_version VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0);"
            + "INSERT INTO points (agent_id, tag, ts, value_kind, num, int_num, txt, quality, detail) VALUES "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 2}, 3, 5.0, NULL, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 1}, 4, NULL, {long.MinValue}, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 2}, 5, NULL, 1, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 3}, 3, NULL, NULL, NULL, 0, 0), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 4}, 3, 9.0, NULL, NULL, 2, 7), "
            + $"('agent-1', '{Tag}', {Batches.BaseNanos + 5}, 0, NULL, NULL, NULL, 4, 0), "
            + $"('agent-2', '{Tag}', {Batches.BaseNanos}, 3, 1.0, NULL, NULL, 0, 0), "
            + $"('agent-1', 'plc1/text', {Batches.BaseNanos}, 6, NULL, NULL, 'on', 0, 0)");
        for (var i = 0; i < 5000; i++)
        {
            rows.Append($", ('agent-1', 'plc1/long', {Batches.BaseNanos + (i * Second)}, 4, NULL, {i}, NULL, 0, 0)");
        }

        Execute(rows.Append(';').ToString());

        for (var open = 0; open < 2; open++)
        {
            using var store = Open();
            var points = await store.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 100);
            Assert.Equal(
                [
                    new StoredPoint(Batches.BaseNanos + 1, long.MinValue, Quality.Good, 0),
                    new StoredPoint(Batches.BaseNanos + 2, 5.0, Quality.Good, 0),
                    new StoredPoint(Batches.BaseNanos + 2, true, Quality.Good, 0),
                    new StoredPoint(Batches.BaseNanos + 4, 9.0, Quality.Bad, 7),
                    new StoredPoint(Batches.BaseNanos + 5, null, Quality.BadTimeout, 0),
                ],
                points.Where(p => p.TimeUnixNano != Batches.BaseNanos + 3));
            Assert.True(double.IsNaN(Assert.IsType<double>(Assert.Single(points, p => p.TimeUnixNano == Batches.BaseNanos + 3).Value)));
            Assert.Equal("on", Assert.Single(await store.QueryPointsAsync("agent-1", "plc1/text", 0, long.MaxValue, 10)).Value);
            Assert.Equal(1.0, Assert.Single(await store.QueryPointsAsync("agent-2", Tag, 0, long.MaxValue, 10)).Value);
            var longSeries = await store.QueryPointsAsync("agent-1", "plc1/long", 0, long.MaxValue, 10_000);
            Assert.Equal(Enumerable.Range(0, 5000).Select(i => (object)(long)i), longSeries.Select(p => p.Value));
        }

        Assert.True((long)ReadColumn("SELECT COUNT(*) FROM point_blocks WHERE series_id = (SELECT series_id FROM series_ids WHERE tag = 'plc1/long')")[0] >= 5000 / 600);
        Assert.Empty(ReadColumn("SELECT name FROM sqlite_master WHERE name = 'points'"));
    }

    [Fact]
    public async Task QueryPointsAsync_RangesAndPagesAcrossBlocks_TimeThenArrivalOrder()
    {
        // Ten batches of three points, each a block; batches overlap in time and share timestamps, so the order
        // between blocks is decided by arrival. One batch spans 25 minutes and so is cut into several blocks.
        using var store = Open();
        var expected = new List<(long Ts, double Value, int Arrival)>();
        var arrival = 0;
        for (ulong seq = 1; seq <= 10; seq++)
        {
            var batch = new TelemetryBatch { Sequence = seq };
            foreach (var offset in new[] { 0L, 5, 2 })
            {
                var ts = Batches.BaseNanos + ((((long)seq % 4) + offset) * Second);
                batch.Points.Add(Batches.Number(Tag, ts, (seq * 10.0) + offset));
                expected.Add((ts, (seq * 10.0) + offset, arrival++));
            }

            await store.IngestAsync("agent-1", batch, Now);
        }

        var wide = new TelemetryBatch { Sequence = 11 };
        for (var minute = 0; minute <= 25; minute++)
        {
            var ts = Batches.BaseNanos + (minute * 60 * Second);
            wide.Points.Add(Batches.Number(Tag, ts, 1000 + minute));
            expected.Add((ts, 1000 + minute, arrival++));
        }

        await store.IngestAsync("agent-1", wide, Now);
        var ordered = expected.OrderBy(p => p.Ts).ThenBy(p => p.Arrival).ToList();

        foreach (var (from, to) in new[] { (0L, long.MaxValue), (Batches.BaseNanos + (3 * Second), Batches.BaseNanos + (7 * Second)), (Batches.BaseNanos + (11 * 60 * Second), Batches.BaseNanos + (20 * 60 * Second) + 1) })
        {
            foreach (var limit in new[] { 1, 4, 7, 1000 })
            {
                var got = await store.QueryPointsAsync("agent-1", Tag, from, to, limit);
                Assert.Equal(ordered.Where(p => p.Ts >= from && p.Ts < to).Take(limit).Select(p => (p.Ts, p.Value)), got.Select(p => (p.TimeUnixNano, (double)p.Value!)));
            }
        }

        Assert.True((long)ReadColumn("SELECT COUNT(*) FROM point_blocks")[0] > 11);
    }

    [Fact]
    public async Task QueryPointsAsync_CorruptBlockBody_ErrorNamesAgentTagAndBlock()
    {
        using var store = Open();
        await store.IngestAsync("agent-1", Batches.Numbers(1, Tag, Batches.BaseNanos, 5), Now);
        Execute("UPDATE point_blocks SET body = substr(body, 1, 6)");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await store.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 10));

        Assert.Contains("agent 'agent-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"tag '{Tag}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"starting at {Batches.BaseNanos}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteExpiredAsync_Raw_BlockStraddlingTheCutoffWaitsUntilWhollyExpired()
    {
        using var store = Open();
        await store.IngestAsync("agent-1", Batches.Create(1, [.. Enumerable.Range(0, 5).Select(i => Batches.Number(Tag, Batches.BaseNanos + (i * Second), i))]), Now);
        await store.IngestAsync("agent-1", Batches.Create(2, Batches.Number(Tag, Batches.BaseNanos + (10 * Second), 10)), Now);

        Assert.Equal(0, await store.DeleteExpiredAsync(RetentionTier.Raw, Batches.BaseNanos + (3 * Second), 10));
        Assert.Equal(6, (await store.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 100)).Count);

        // One block of five points: the count is in points.
        Assert.Equal(5, await store.DeleteExpiredAsync(RetentionTier.Raw, Batches.BaseNanos + (5 * Second), 10));
        Assert.Equal(10.0, Assert.Single(await store.QueryPointsAsync("agent-1", Tag, 0, long.MaxValue, 100)).Value);
    }

    [Fact]
    public async Task IngestAsync_BatchRolledBackInItsSavepoint_WriterCacheForgetsItsAgentAndSeries()
    {
        // A real SQLite failure inside one batch (a trigger refusing its second tag) after its agent row and
        // first series were written: the retried batch must neither be taken for a duplicate nor lose points.
        using var store = Open();
        Execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON series_ids WHEN NEW.tag = 'plc1/poison' BEGIN SELECT RAISE(ABORT, 'poisoned tag'); END");
        var poisoned = Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 1), Batches.Number("plc1/poison", Batches.BaseNanos, 2));

        await Assert.ThrowsAsync<SqliteException>(async () => await store.IngestAsync("agent-9", poisoned, Now));
        var retried = await store.IngestAsync("agent-9", Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 1)), Now);

        Assert.Equal(IngestOutcome.Stored, retried.Outcome);
        Assert.Equal(1.0, Assert.Single(await store.QueryPointsAsync("agent-9", Tag, 0, long.MaxValue, 10)).Value);
        Assert.Equal(1UL, await store.GetHighestSequenceAsync("agent-9"));
        Assert.Equal(IngestOutcome.Duplicate, (await store.IngestAsync("agent-9", Batches.Create(1, Batches.Number(Tag, Batches.BaseNanos, 1)), Now)).Outcome);
    }

    [Fact]
    public void Open_NewFolder_CreatesDatabaseInWalMode()
    {
        using var store = Open();

        Assert.Equal(Path.Combine(DataDirectory, SqliteTelemetryStore.FileName), store.DatabasePath);
        Assert.True(File.Exists(store.DatabasePath));
        Assert.Equal("wal", Assert.Single(ReadColumn("PRAGMA journal_mode")));
    }

    private protected override ITelemetryStore CreateStore() => Open();

    private protected override IReadOnlyList<string> ReadAlarmColumns() => [.. ReadColumn(AlarmColumnsSql).Cast<string>()];

    private protected override void DisposeBackend() => _folder.Dispose();

    private SqliteTelemetryStore Open() => SqliteTelemetryStore.Open(
        DataDirectory, TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger<SqliteTelemetryStore>.Instance);

    private List<object> ReadColumn(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, SqliteTelemetryStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, SqliteTelemetryStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
