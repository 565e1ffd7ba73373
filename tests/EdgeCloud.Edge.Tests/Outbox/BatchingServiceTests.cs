using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Time;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Tests.Outbox;

public sealed class BatchingServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ExecuteAsync_BatchFull_SealsEveryPointInOrderWithTheClockFlag()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(5, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("plc", 5), None);
        await outbox.WaitForSequenceAsync(1, None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(None);

        var batch = TelemetryBatch.Parser.ParseFrom((await outbox.ReadAsync(0, 10, None))[0].Payload);
        Assert.Equal(["plc/t0", "plc/t1", "plc/t2", "plc/t3", "plc/t4"], batch.Points.Select(p => p.Tag));
        Assert.Equal([0.0, 1.0, 2.0, 3.0, 4.0], batch.Points.Select(p => p.Number));
        Assert.True(batch.ClockSynchronized);
        Assert.Equal(1UL, outbox.LastDurableSequence);
    }

    [Fact]
    public async Task StopAsync_PointsStillWaiting_AreMadeDurableBeforeItReturns()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(1000, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(false), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("meter", 3), None);
        await service.StopAsync(None);

        var stored = await outbox.ReadAsync(0, 10, None);
        var batch = TelemetryBatch.Parser.ParseFrom(Assert.Single(stored).Payload);
        Assert.Equal(3, batch.Points.Count);
        Assert.False(batch.ClockSynchronized);
    }

    [Fact]
    public async Task Stages_DerivedPoints_FollowTheirSourceAndReachOnlyLaterStages()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        var doubler = new DerivingStage("double", v => v * 2);
        var plusOne = new DerivingStage("plus1", v => v + 1);
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(2, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([doubler, plusOne]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("plc", 2), None);
        await service.StopAsync(None);

        var tags = (await outbox.ReadAsync(0, 10, None))
            .SelectMany(b => TelemetryBatch.Parser.ParseFrom(b.Payload).Points)
            .Select(p => $"{p.Tag}={p.Number}")
            .ToArray();
        // Each source point, then the doubler's output, then plus1 of that output, then plus1 of
        // the source; the doubler never sees plus1's outputs nor its own.
        Assert.Equal(
            ["plc/t0=0", "double/t0=0", "plus1/t0=1", "plus1/t0=1", "plc/t1=1", "double/t1=2", "plus1/t1=3", "plus1/t1=2"],
            tags);
        Assert.Equal(2, doubler.Seen);
        Assert.Equal(4, plusOne.Seen);
    }

    [Fact]
    public async Task ExecuteAsync_OnePublishLargerThanTheBatch_SealsFullBatchesInOrder()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(3, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("plc", 8), None);
        await outbox.WaitForSequenceAsync(2, None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(None);

        var batches = (await outbox.ReadAsync(0, 10, None)).Select(b => TelemetryBatch.Parser.ParseFrom(b.Payload).Points.Select(p => p.Tag).ToArray()).ToArray();
        Assert.Equal([["plc/t0", "plc/t1", "plc/t2"], ["plc/t3", "plc/t4", "plc/t5"], ["plc/t6", "plc/t7"]], batches);
    }

    [Fact]
    public async Task Stages_PointsAtALowRate_SeenAtOnceOrWithinTheStageLatency()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var pipeline = NewPipeline(time);
        var seen = new RecordingStage();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(1000, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), time, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([seen]));
        await service.StartAsync(None);

        // An idle batcher waits for any point: the first is seen with no time passing at all.
        await pipeline.PublishAsync(Points("plc", 1), None);
        await seen.WaitForAsync(1);

        // Right after a run it waits for more (or a batch's worth) for at most the stage latency.
        await pipeline.PublishAsync(Points("meter", 1), None);
        await Task.Delay(200);
        Assert.Equal(1, seen.Count);
        time.Advance(BatchingService.StageLatency);
        await seen.WaitForAsync(2);

        // That run found the point, so the next wait is bounded again; nothing came, so the
        // one after it waits for any point.
        await Task.Delay(200);
        time.Advance(BatchingService.StageLatency);
        await Task.Delay(200);
        await pipeline.PublishAsync(Points("pump", 1), None);
        await seen.WaitForAsync(3);
        await service.StopAsync(None);

        Assert.Equal(["plc/t0", "meter/t0", "pump/t0"], seen.Addresses);
    }

    [Fact]
    public async Task ExecuteAsync_BatchDelay_SealsWhenTheFirstPointIsThatOldNotEarlier()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var pipeline = NewPipeline(time);
        var seen = new RecordingStage();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(1000, TimeSpan.FromSeconds(1), 1 << 30), new FixedClockStatus(true), time, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([seen]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("plc", 1), None);
        await seen.WaitForAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(200);
        Assert.Equal(0UL, outbox.LastDurableSequence);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await outbox.WaitForSequenceAsync(1, None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(None);
    }

    [Fact]
    public async Task Stages_BatchStageLast_SeesEachRunWithTheDerivedPointsInOrder()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        var doubler = new DerivingStage("double", v => v * 2);
        var runs = new RecordingStage();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(1000, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([doubler, runs]));
        await service.StartAsync(None);

        await pipeline.PublishAsync(Points("plc", 2), None);
        await runs.WaitForAsync(4);
        await service.StopAsync(None);

        Assert.Equal(["plc/t0", "double/t0", "plc/t1", "double/t1"], runs.Addresses);
        Assert.Equal(0, runs.PerPointCalls);
    }

    [Fact]
    public async Task SealAsync_JournalDiskFull_KeepsTheBatchRetriesAndStoresEveryPointOnceThereIsRoom()
    {
        // A real ENOSPC: the journal alone on a 2 MiB tmpfs that a filler file leaves without room,
        // and an empty outbox, so there is nothing to drop and the append fails to the batcher.
        using var folder = new OutboxFolder(segmentBytes: 256 * 1024);
        using var disk = FullJournalDisk(folder, out var filler);
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        var lifetime = new StubLifetime();
        var log = new LineLogger();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(50, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, lifetime, log, new PointStages([]));
        await service.StartAsync(None);

        // Three batches' worth and a remainder: a failed append is seen when the next batch seals.
        await pipeline.PublishAsync(Points("plc", 50), None);
        await pipeline.PublishAsync(Points("more", 120), None);
        await WaitUntilAsync(() => log.Lines.Any(l => l.Contains("could not store a batch of 50 points", StringComparison.Ordinal)));
        Assert.Equal(0UL, outbox.LastDurableSequence);

        // The disk gets room: the kept batches go through, the remainder seals at the stop.
        File.Delete(filler);
        await outbox.WaitForSequenceAsync(3, None).WaitAsync(TimeSpan.FromSeconds(20));
        await service.StopAsync(None);

        var stored = await outbox.ReadAsync(0, 100, None);
        var tags = stored.SelectMany(b => TelemetryBatch.Parser.ParseFrom(b.Payload).Points.Select(p => p.Tag)).ToList();
        Assert.Equal(Points("plc", 50).Select(p => p.Address).Concat(Points("more", 120).Select(p => p.Address)).Order(), tags.Order());
        Assert.Contains(log.Lines, l => l.Contains("stored the kept batch of 50 points", StringComparison.Ordinal));
        Assert.False(lifetime.Stopped, "a full disk stopped the agent");
    }

    [Fact]
    public async Task StopAsync_WhileABatchWaitsForDiskRoom_ReportsItsPointsLostAndReturns()
    {
        using var folder = new OutboxFolder(segmentBytes: 256 * 1024);
        using var disk = FullJournalDisk(folder, out _);
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        var log = new LineLogger();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(10, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), log, new PointStages([]));
        await service.StartAsync(None);
        await pipeline.PublishAsync(Points("plc", 10), None);
        await WaitUntilAsync(() => pipeline.QueuedPoints == 0);

        // The stop awaits the sealed batch's append, which fails: no retry is left, its loss is told.
        await service.StopAsync(None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(log.Lines, l => l.Contains("a batch of 10 points the outbox could not store", StringComparison.Ordinal) && l.Contains("is lost", StringComparison.Ordinal));
        Assert.Equal(0UL, outbox.LastDurableSequence);
    }

    /// <summary>
    /// The journal alone on a 2 MiB tmpfs that <paramref name="filler"/> fills (a real ENOSPC), with no free-space
    /// reserve and a budget far away, so that the outbox has nothing to drop and an append fails to its caller.
    /// </summary>
    private static SmallTmpfs FullJournalDisk(OutboxFolder folder, out string filler)
    {
        var disk = SmallTmpfs.Mount(2, folder.JournalDirectory);
        folder.Options.MaxBytes = 1L << 30;
        folder.Options.ReserveFreeBytes = 0;
        filler = Path.Combine(folder.JournalDirectory, "filler");
        FillDisk(filler);
        return disk;
    }

    /// <summary>Writes <paramref name="path"/> until its file system is full.</summary>
    private static void FillDisk(string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    [Fact]
    public async Task ExecuteAsync_LongTagsBelowMaxBatchPoints_SealsBeforeThePayloadLimitAndKeepsEveryPointInOrder()
    {
        using var folder = new OutboxFolder(segmentBytes: 16 * 1024 * 1024);
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        // The largest maxBatchPoints the config allows; 60,000 points named with the longest device and tag
        // names allowed (64 characters each) are ~9 MiB (no compression in the outbox), over twice the payload
        // limit, long before the point count is reached.
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(100_000, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([]));
        await service.StartAsync(None);

        var device = new string('d', 64);
        var points = Enumerable.Range(0, 60_000)
            .Select(i => new DataPoint(device, $"{new string('t', 58)}{i:000000}", DateTimeOffset.UnixEpoch.AddSeconds(i), TagValue.FromNumber(i), PointQuality.Good))
            .ToArray();
        for (var i = 0; i < points.Length; i += 10_000)
        {
            await pipeline.PublishAsync(points[i..(i + 10_000)], None);
        }

        // Sealed by size while running, not only at the stop that seals whatever is left.
        await outbox.WaitForSequenceAsync(2, None).WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(None);

        var stored = await outbox.ReadAsync(0, 100, None);
        Assert.True(stored.Count >= 3, $"{stored.Count} batches");
        Assert.All(stored, b => Assert.InRange(b.Payload.Length, 1, OutboxLimits.MaxBatchPayloadBytes));
        Assert.All(stored.SkipLast(1), b => Assert.True(b.Payload.Length > OutboxLimits.MaxBatchPayloadBytes - 1024, $"{b.Payload.Length} bytes: sealed well before the limit"));
        var tags = stored.SelectMany(b => TelemetryBatch.Parser.ParseFrom(b.Payload).Points).Select(p => p.Tag).ToArray();
        Assert.Equal(points.Select(p => p.Address), tags);
        Assert.Equal(points.Length, stored.Sum(b => b.PointCount));
    }

    [Fact]
    public async Task ExecuteAsync_OnePointLargerThanTheLimit_GoesInABatchOfItsOwn()
    {
        using var folder = new OutboxFolder(segmentBytes: 16 * 1024 * 1024);
        using var outbox = folder.Open();
        var pipeline = NewPipeline();
        using var service = new BatchingService(pipeline, outbox, new OutboxConfig(1000, TimeSpan.FromMinutes(10), 1 << 30), new FixedClockStatus(true), TimeProvider.System, new StubLifetime(), NullLogger<BatchingService>.Instance, new PointStages([]));
        await service.StartAsync(None);

        var huge = new DataPoint("mqtt", "blob", DateTimeOffset.UnixEpoch, TagValue.FromText(new string('b', OutboxLimits.MaxBatchPayloadBytes)), PointQuality.Good);
        await pipeline.PublishAsync([.. Points("plc", 2), huge, .. Points("meter", 2)], None);
        await outbox.WaitForSequenceAsync(2, None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(None);

        var batches = (await outbox.ReadAsync(0, 10, None)).Select(b => TelemetryBatch.Parser.ParseFrom(b.Payload).Points.Select(p => p.Tag).ToArray()).ToArray();
        Assert.Equal([["plc/t0", "plc/t1"], ["mqtt/blob"], ["meter/t0", "meter/t1"]], batches);
    }

    private static PointPipeline NewPipeline(TimeProvider? time = null) =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), time);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }

    private static DataPoint[] Points(string device, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new DataPoint(device, $"t{i}", DateTimeOffset.UnixEpoch.AddSeconds(i), TagValue.FromNumber(i), PointQuality.Good))
            .ToArray();

    /// <summary>A stage that derives one point per point it sees, on a device of its own name.</summary>
    private sealed class DerivingStage(string name, Func<double, double> map) : IPointStage
    {
        public int Seen { get; private set; }

        public void Process(in DataPoint point, List<DataPoint> derived)
        {
            Seen++;
            derived.Add(point with { Device = name, Value = TagValue.FromNumber(map(point.Value.AsDouble())) });
        }
    }

    /// <summary>A batch stage that records what it sees, from the batcher's thread, for the test's.</summary>
    private sealed class RecordingStage : IPointBatchStage
    {
        private readonly List<string> _seen = [];
        private int _perPoint;

        public int Count
        {
            get
            {
                lock (_seen)
                {
                    return _seen.Count;
                }
            }
        }

        public string[] Addresses
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public int PerPointCalls => Volatile.Read(ref _perPoint);

        public void Process(in DataPoint point, List<DataPoint> derived)
        {
            Interlocked.Increment(ref _perPoint);
            lock (_seen)
            {
                _seen.Add(point.Address);
            }
        }

        public void ProcessRun(ReadOnlySpan<DataPoint> points)
        {
            lock (_seen)
            {
                foreach (var point in points)
                {
                    _seen.Add(point.Address);
                }
            }
        }

        public Task WaitForAsync(int count) => WaitUntilAsync(() => Count >= count);
    }

    /// <summary>A clock status that says what the test wants (the kernel's answer depends on the machine).</summary>
    private sealed class FixedClockStatus(bool synchronized) : IClockStatus
    {
        public bool IsSynchronized => synchronized;
    }

    private sealed class StubLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }

    /// <summary>Keeps every formatted log line, so a test can see what the batcher told the operator.</summary>
    private sealed class LineLogger : ILogger<BatchingService>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
