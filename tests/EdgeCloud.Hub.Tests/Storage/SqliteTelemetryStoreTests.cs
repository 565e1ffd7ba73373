using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>The shared store behaviour over a real SQLite file, and what only a file can show: reopening.</summary>
public sealed class SqliteTelemetryStoreTests : TelemetryStoreBehaviourTests
{
    private const string Tag = "plc1/temperature";
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
    public void Open_NewFolder_CreatesDatabaseInWalMode()
    {
        using var store = Open();

        Assert.Equal(Path.Combine(DataDirectory, SqliteTelemetryStore.FileName), store.DatabasePath);
        Assert.True(File.Exists(store.DatabasePath));
        Assert.Equal("wal", Assert.Single(ReadColumn("PRAGMA journal_mode")));
    }

    private protected override ITelemetryStore CreateStore() => Open();

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
