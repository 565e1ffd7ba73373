using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// The batch encoder on a batch of the gateway's shape (1000 points, 10 devices × 100 tags, the
/// poller's string instances): transcoding every address (baseline, the encoder without a cache)
/// against copying the cached UTF-8 of each address.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BatchEncodeBenchmarks
{
    private readonly List<DataPoint> _batch = [];
    private readonly AddressCache _cache = new();

    [GlobalSetup]
    public void Setup()
    {
        var now = TimeProvider.System.GetUtcNow();
        for (var d = 0; d < 10; d++)
        {
            var device = $"plc{d:D2}";
            _batch.AddRange(Enumerable.Range(0, 100).Select(t => new DataPoint(device, $"r{t:D3}", now, TagValue.FromNumber(t), PointQuality.Good)));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000, Description = "encode, addresses transcoded")]
    public int Transcoded() => BatchEncoder.Encode(_batch, 1, clockSynchronized: true).Length;

    [Benchmark(OperationsPerInvoke = 1000, Description = "encode, addresses from the cache")]
    public int Cached() => BatchEncoder.Encode(_batch, 1, clockSynchronized: true, _cache).Length;
}
