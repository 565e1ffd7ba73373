using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Time;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

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

    private static PointPipeline NewPipeline() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

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

    /// <summary>A clock status that says what the test wants (the kernel's answer depends on the machine).</summary>
    private sealed class FixedClockStatus(bool synchronized) : IClockStatus
    {
        public bool IsSynchronized => synchronized;
    }

    private sealed class StubLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
