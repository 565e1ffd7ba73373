using System.Diagnostics.Metrics;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// The data path's cost per point on one thread, the gateway's shape: 10 devices × 100 tags, one
/// publish per poll with the poller's reused array and string instances, through the pipeline,
/// the live lane's stage and the batch encoder (a batch of 1000 points; the per-poll path with the
/// batcher's <see cref="AddressCache"/>, as the agent runs it). Figures are per point
/// (<c>OperationsPerInvoke</c>). Baseline: the path this replaced, in the same run: one bounded
/// channel item per point and a (device, tag)-keyed dictionary under a lock per point. Thread
/// wake-ups, the larger part of the saving, do not show here: the gateway load tool measures those.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PipelineBenchmarks
{
    private const int Devices = 10;
    private const int Tags = 100;
    private const int BatchPoints = 1000;

    private readonly DataPoint[][] _polls = new DataPoint[Devices][];
    private readonly List<DataPoint> _batch = new(BatchPoints);
    private readonly Lock _oldLock = new();
    private readonly Dictionary<(string Device, string Tag), DataPoint> _oldLive = [];
    private Channel<DataPoint> _channel = null!;
    private PointPipeline _pipeline = null!;
    private LiveValues _live = null!;
    private AddressCache _addresses = null!;
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var d = 0; d < Devices; d++)
        {
            var device = $"plc{d:D2}";
            _polls[d] = [.. Enumerable.Range(0, Tags).Select(t => new DataPoint(device, $"r{t:D3}", TimeProvider.System.GetUtcNow(), TagValue.FromNumber(t), PointQuality.Good))];
        }

        _channel = Channel.CreateBounded<DataPoint>(new BoundedChannelOptions(PointPipeline.DefaultCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _pipeline = new PointPipeline(_services.GetRequiredService<IMeterFactory>());
        _live = new LiveValues();
        _addresses = new AddressCache();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Devices * Tags, Description = "per point: channel item + (device, tag) dictionary under a lock + encode")]
    public int PerPointChannel()
    {
        var encoded = 0;
        foreach (var poll in _polls)
        {
            foreach (var point in poll)
            {
                _channel.Writer.TryWrite(point);
            }

            while (_channel.Reader.TryRead(out var point))
            {
                _batch.Add(point);
                lock (_oldLock)
                {
                    _oldLive[(point.Device, point.Tag)] = point;
                }
            }

            encoded += SealIfFull(addresses: null);
        }

        return encoded;
    }

    [Benchmark(OperationsPerInvoke = Devices * Tags, Description = "per poll: pooled chunk + LiveValues.ProcessRun + encode")]
    public int PerPollChunk()
    {
        var encoded = 0;
        foreach (var poll in _polls)
        {
            // Completes synchronously: the pipeline is never full here.
            var publish = _pipeline.PublishAsync(poll, CancellationToken.None);
            if (!publish.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("the pipeline made a source wait");
            }

            for (var run = _pipeline.Peek(out _); !run.IsEmpty; run = _pipeline.Peek(out _))
            {
                var start = _batch.Count;
                _batch.AddRange(run);
                _pipeline.Advance(run.Length);
                _live.ProcessRun(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_batch)[start..]);
            }

            encoded += SealIfFull(_addresses);
        }

        return encoded;
    }

    private int SealIfFull(AddressCache? addresses)
    {
        if (_batch.Count < BatchPoints)
        {
            return 0;
        }

        var bytes = BatchEncoder.Encode(_batch, 1, clockSynchronized: true, addresses).Length;
        _batch.Clear();
        return bytes;
    }
}
