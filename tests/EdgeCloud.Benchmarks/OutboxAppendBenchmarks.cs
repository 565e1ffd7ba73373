using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// Durable appends to the outbox: <see cref="Callers"/> batches of 100 points (~3 KiB, the size of
/// an encoded 100-point TelemetryBatch) appended at once, so that group commit can share fsyncs.
/// Baseline: the same bytes appended to a plain file with one fsync per batch — the bound the
/// disk sets for "durable per batch".
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class OutboxAppendBenchmarks
{
    private readonly byte[] _payload = new byte[3 * 1024];
    private string _folder = "";
    private LiteDbOutbox? _outbox;
    private FileStream? _raw;

    /// <summary>Batches appended concurrently per operation.</summary>
    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_payload);
        _folder = Directory.CreateTempSubdirectory("bench-outbox-").FullName;
        _outbox = new LiteDbOutbox(new OutboxOptions { Directory = Path.Combine(_folder, "outbox") }, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);
        _raw = new FileStream(Path.Combine(_folder, "raw.bin"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _outbox?.Dispose();
        _raw?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw file append + fsync per batch")]
    public void RawFsyncPerBatch()
    {
        for (var i = 0; i < Callers; i++)
        {
            _raw!.Write(_payload);
            _raw.Flush(flushToDisk: true);
        }
    }

    [Benchmark(Description = "outbox AppendAsync (journal fsync + LiteDB)")]
    public async Task OutboxAppend()
    {
        var appends = new Task[Callers];
        for (var i = 0; i < Callers; i++)
        {
            appends[i] = _outbox!.AppendAsync(new OutboxBatch(OutboxBatchKind.Telemetry, 100, 0, _payload), CancellationToken.None).AsTask();
        }

        await Task.WhenAll(appends);

        // Keep the store small and steady, as the sync loop does when the hub keeps up.
        await _outbox!.AcknowledgeAsync(_outbox.LastDurableSequence, CancellationToken.None);
    }
}
