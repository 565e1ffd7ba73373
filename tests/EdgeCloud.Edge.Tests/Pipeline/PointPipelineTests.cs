using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Tests.Pipeline;

public sealed class PointPipelineTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PublishAsync_PipelineFull_WaitsUntilTheReaderTakesAChunkAndCountsTheWait()
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var pipeline = new PointPipeline(factory, capacity: 10);
        using var waits = new CounterTotal(factory, PointPipeline.MeterName, "edge_pipeline_backpressure_waits");

        await pipeline.PublishAsync(Points("a", 8), None);
        var second = pipeline.PublishAsync(Points("b", 5), None).AsTask();

        Assert.False(second.IsCompleted); // 8 + 5 > 10: the source waits
        Assert.Equal(8, pipeline.QueuedPoints);
        Assert.Equal(1, waits.Total);

        Assert.Equal(["a/t0", "a/t1", "a/t2", "a/t3", "a/t4", "a/t5", "a/t6", "a/t7"], TakeChunk(pipeline));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["b/t0", "b/t1", "b/t2", "b/t3", "b/t4"], TakeChunk(pipeline));
        Assert.Equal(1, waits.Total);
    }

    [Fact]
    public async Task PublishAsync_MoreThanTheCapacity_GoesInPiecesThatNeverExceedIt()
    {
        var pipeline = NewPipeline(capacity: 4);

        var publish = pipeline.PublishAsync(Points("plc", 10), None).AsTask();
        var seen = new List<string>();
        while (seen.Count < 10)
        {
            Assert.True(await pipeline.WaitToReadAsync(1).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(pipeline.QueuedPoints <= 4, $"{pipeline.QueuedPoints} points queued in a pipeline of 4");
            seen.AddRange(TakeAll(pipeline));
        }

        await publish.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"plc/t{i}"), seen);
    }

    [Fact]
    public async Task PublishAsync_CallerReusesItsArray_QueuedPointsKeepTheirValues()
    {
        var pipeline = NewPipeline();
        var poll = Points("plc", 3);

        await pipeline.PublishAsync(poll, None);
        poll[1] = poll[1] with { Tag = "overwritten", Value = TagValue.FromNumber(-1) };

        var run = pipeline.Peek(out _).ToArray();
        Assert.Equal(["plc/t0", "plc/t1", "plc/t2"], run.Select(p => p.Address));
        Assert.Equal(1.0, run[1].Value.AsDouble());
    }

    [Fact]
    public async Task PublishAsync_CancelledWhileWaiting_LeavesNothingQueuedAndLetsLaterSourcesIn()
    {
        var pipeline = NewPipeline(capacity: 2);
        using var cancel = new CancellationTokenSource();
        await pipeline.PublishAsync(Points("a", 2), None);

        var cancelled = pipeline.PublishAsync(Points("b", 2), cancel.Token).AsTask();
        var later = pipeline.PublishAsync(Points("c", 1), None).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["a/t0", "a/t1"], TakeChunk(pipeline));
        await later.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["c/t0"], TakeChunk(pipeline));
        Assert.Equal(0, pipeline.QueuedPoints);
    }

    [Fact]
    public async Task WaitToReadAsync_AskedForABatch_WakesOnlyOnceThatManyAreQueued()
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var pipeline = new PointPipeline(factory);
        using var wakes = new CounterTotal(factory, PointPipeline.MeterName, "edge_pipeline_reader_wakes");

        var wait = pipeline.WaitToReadAsync(5);
        await pipeline.PublishAsync(Points("a", 3), None);
        Assert.False(wait.IsCompleted);
        Assert.Equal(0, wakes.Total);

        await pipeline.PublishAsync(Points("b", 2), None);
        await pipeline.PublishAsync(Points("c", 2), None); // nobody waits: no wake-up
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, wakes.Total);
    }

    [Fact]
    public async Task WaitToReadAsync_WithAMaxAge_WokenByThePublishThatFindsTheOldestPointThatOld()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var pipeline = NewPipeline(time: time);

        var wait = pipeline.WaitToReadAsync(1000, TimeSpan.FromMilliseconds(10));
        await pipeline.PublishAsync(Points("a", 1), None);
        time.Advance(TimeSpan.FromMilliseconds(9));
        await pipeline.PublishAsync(Points("b", 1), None);
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await pipeline.PublishAsync(Points("c", 1), None);
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));

        // Already that old when the reader asks: no wait at all.
        Assert.True(pipeline.WaitToReadAsync(1000, TimeSpan.FromMilliseconds(10)).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitToReadAsync_Completed_TrueUntilDrainedThenFalse()
    {
        var pipeline = NewPipeline();
        var wait = pipeline.WaitToReadAsync(100);
        await pipeline.PublishAsync(Points("a", 1), None);

        pipeline.Complete();

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["a/t0"], TakeAll(pipeline));
        Assert.False(await pipeline.WaitToReadAsync(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.PublishAsync(Points("b", 1), None).AsTask());
    }

    internal static PointPipeline NewPipeline(int capacity = PointPipeline.DefaultCapacity, TimeProvider? time = null) =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), time, capacity);

    internal static DataPoint[] Points(string device, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new DataPoint(device, $"t{i}", DateTimeOffset.UnixEpoch.AddSeconds(i), TagValue.FromNumber(i), PointQuality.Good))
            .ToArray();

    /// <summary>The next chunk only: taking it may let a waiting source in.</summary>
    private static List<string> TakeChunk(PointPipeline pipeline)
    {
        var run = pipeline.Peek(out _);
        var taken = new List<string>();
        foreach (var point in run)
        {
            taken.Add(point.Address);
        }

        pipeline.Advance(run.Length);
        return taken;
    }

    private static List<string> TakeAll(PointPipeline pipeline)
    {
        var taken = new List<string>();
        for (var run = pipeline.Peek(out _); !run.IsEmpty; run = pipeline.Peek(out _))
        {
            foreach (var point in run)
            {
                taken.Add(point.Address);
            }

            pipeline.Advance(run.Length);
        }

        return taken;
    }

    /// <summary>The running total of one counter of one meter made by <c>factory</c> (tests running beside this one make their own).</summary>
    private sealed class CounterTotal : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterTotal(IMeterFactory factory, string meter, string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter.Scope, factory) && i.Meter.Name == meter && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
