using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Postgres;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EdgeCloud.Hub.Tests.Storage.Postgres;

/// <summary>
/// The shared store behaviour over a real PostgreSQL 15, and what only a shared server shows: migrations
/// under the advisory lock, two store instances (replicas) on one database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTelemetryStoreTests(PostgresServer server) : TelemetryStoreBehaviourTests
{
    private const string Tag = "plc1/temperature";
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private string? _database;

    private string Database => _database ??= server.CreateDatabase();

    [Fact]
    public async Task Open_TwoReplicasAtOnce_MigrateOnceAndBothServe()
    {
        _ = Database; // created once, before the two replicas race to migrate it
        var opens = Enumerable.Range(0, 2).Select(_ => Task.Run(Open)).ToArray();
        var stores = await Task.WhenAll(opens);
        try
        {
            Assert.Equal(Enumerable.Range(1, PostgresMigrations.LatestVersion).Select(v => (long)v), ReadColumn("SELECT version FROM schema_version ORDER BY version").Cast<int>().Select(v => (long)v));
            await stores[0].IngestAsync("agent-1", Batches.Numbers(1, Tag, Batches.BaseNanos, 2), Now);
            Assert.Equal(1UL, await stores[1].GetHighestSequenceAsync("agent-1"));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task IngestAsync_SameBatchesThroughTwoReplicasConcurrently_EachStoredOnce()
    {
        using var a = Open();
        using var b = Open();

        // Both replicas receive every batch of three agents at the same time, as after a failover replay.
        var calls = new List<(string Agent, Task<IngestResult> Task)>();
        foreach (var agent in new[] { "agent-1", "agent-2", "agent-3" })
        {
            for (ulong seq = 1; seq <= 15; seq++)
            {
                var batch = Batches.Numbers(seq, Tag, Batches.BaseNanos + ((long)seq * 1_000_000_000L), 3);
                calls.Add((agent, a.IngestAsync(agent, batch, Now).AsTask()));
                calls.Add((agent, b.IngestAsync(agent, batch.Clone(), Now).AsTask()));
            }
        }

        await Task.WhenAll(calls.Select(c => c.Task));

        foreach (var agent in new[] { "agent-1", "agent-2", "agent-3" })
        {
            Assert.Equal(15, calls.Count(c => c.Agent == agent && c.Task.Result.Outcome == IngestOutcome.Stored));
            var record = await b.GetAgentAsync(agent);
            Assert.Equal((15UL, 15L, 45L, 0), (record!.HighestSequence, record.Batches, record.Points, record.OpenGaps));
            Assert.Equal(45, (await a.QueryPointsAsync(agent, Tag, 0, long.MaxValue, 1000)).Count);
            // Interleaved arrival may open gaps; every one must be filled, none left missing.
            Assert.All(await a.ListGapsAsync(agent), gap => Assert.Equal((0UL, true), (gap.Missing, gap.FilledAt.HasValue)));
        }
    }

    [Fact]
    public void Open_ThreeTimes_AppliesEachMigrationOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            using var store = Open();
        }

        Assert.Equal(
            Enumerable.Range(1, PostgresMigrations.LatestVersion),
            ReadColumn("SELECT version FROM schema_version ORDER BY version").Cast<int>());
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

    private protected override ITelemetryStore CreateStore() => Open();

    private protected override IReadOnlyList<string> ReadAlarmColumns() => [.. ReadColumn(AlarmColumnsSql).Cast<string>()];

    private protected override void DisposeBackend()
    {
        if (_database is not null)
        {
            server.DropDatabase(_database);
        }
    }

    private PostgresTelemetryStore Open() => PostgresTelemetryStore.Open(Database, TimeProvider.System, NullLogger<PostgresTelemetryStore>.Instance);

    private List<object> ReadColumn(string sql)
    {
        using var connection = new NpgsqlConnection(Database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
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
        using var connection = new NpgsqlConnection(Database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
