using BenchmarkDotNet.Attributes;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// Hub ingest into SQLite: one <see cref="TelemetryBatch"/> of <see cref="Points"/> points per
/// operation, with dedupe, agent counters and one durable commit (WAL, synchronous=FULL).
/// Baseline: the same number of rows through one prepared INSERT into a bare table in one
/// transaction on the same settings — what SQLite itself allows for this commit size here.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class HubIngestBenchmarks
{
    private string _folder = "";
    private SqliteTelemetryStore? _store;
    private SqliteConnection? _raw;
    private SqliteCommand? _insert;
    private TelemetryBatch _batch = new();
    private ulong _sequence;

    /// <summary>Points per batch.</summary>
    [Params(100, 1000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("bench-hub-").FullName;
        _store = SqliteTelemetryStore.Open(Path.Combine(_folder, "hub"), TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger<SqliteTelemetryStore>.Instance);
        var start = (ulong)DateTimeOffset.UnixEpoch.AddYears(56).ToUnixTimeMilliseconds() * 1_000_000UL;
        _batch = new TelemetryBatch();
        for (var i = 0; i < Points; i++)
        {
            _batch.Points.Add(new Point { Tag = $"plc{i % 10}/tag{i % 50}", TimeUnixNano = start + (ulong)i * 1_000_000UL, Number = i * 0.5, Quality = Quality.Good });
        }

        _raw = new SqliteConnection($"Data Source={Path.Combine(_folder, "raw.db")}");
        _raw.Open();
        using (var pragma = _raw.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE p(agent TEXT, tag TEXT, ts INTEGER, num REAL, quality INTEGER);";
            pragma.ExecuteNonQuery();
        }

        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO p VALUES ($a, $t, $ts, $n, $q)";
        foreach (var name in new[] { "$a", "$t", "$ts", "$n", "$q" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        _insert?.Dispose();
        _raw?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw SQLite: prepared INSERTs + 1 commit")]
    public void RawSqlite()
    {
        using var transaction = _raw!.BeginTransaction();
        _insert!.Transaction = transaction;
        foreach (var point in _batch.Points)
        {
            _insert.Parameters[0].Value = "bench";
            _insert.Parameters[1].Value = point.Tag;
            _insert.Parameters[2].Value = (long)point.TimeUnixNano;
            _insert.Parameters[3].Value = point.Number;
            _insert.Parameters[4].Value = (int)point.Quality;
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Benchmark(Description = "hub IngestAsync (dedupe + points + counters, 1 commit)")]
    public async Task HubIngest()
    {
        // Each batch is the next second of data, as a live agent sends it.
        _batch.Sequence = ++_sequence;
        foreach (var point in _batch.Points)
        {
            point.TimeUnixNano += 1_000_000_000UL;
        }

        await _store!.IngestAsync("bench", _batch, DateTimeOffset.UnixEpoch);
    }
}
