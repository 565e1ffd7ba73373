using System.Text;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>TTL per priority class, measured on the outbox's running clock (real files, a clock whose wall time can jump).</summary>
public sealed class OutboxTtlTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AppendAsync_WallClockJumpsAYearForward_NothingExpires()
    {
        using var folder = WithTtl();
        var clock = new JumpingClock();
        using var outbox = Open(folder, clock);
        await outbox.AppendAsync(Batch(OutboxBatchKind.Event, "alarm"), None);
        for (var i = 0; i < 5; i++)
        {
            await outbox.AppendAsync(Batch(OutboxBatchKind.Telemetry, $"t{i}"), None);
        }

        clock.Wall += TimeSpan.FromDays(365); // an NTP step, or a mis-set RTC corrected
        clock.Running += TimeSpan.FromMinutes(2);
        await outbox.AppendAsync(Batch(OutboxBatchKind.Telemetry, "after-jump"), None);
        clock.Wall -= TimeSpan.FromDays(3650); // and back, far into the past
        clock.Running += TimeSpan.FromMinutes(2);
        var stored = await outbox.ReadAsync(0, int.MaxValue, None);

        Assert.Equal(7, stored.Count);
        Assert.Equal((0L, 0L), (outbox.GetStats().ExpiredPoints, outbox.GetStats().DroppedPoints));
    }

    [Fact]
    public async Task AppendAsync_RunningTimePastTelemetryTtl_TelemetryExpiresCountedAndToldEventKept()
    {
        using var folder = WithTtl();
        var clock = new JumpingClock();
        using var outbox = Open(folder, clock);
        await outbox.AppendAsync(Batch(OutboxBatchKind.Event, "alarm"), None);
        for (var i = 0; i < 5; i++)
        {
            await outbox.AppendAsync(Batch(OutboxBatchKind.Telemetry, $"old{i}"), None);
        }

        clock.Running += TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        await outbox.AppendAsync(Batch(OutboxBatchKind.Telemetry, "young"), None);
        var stored = await outbox.ReadAsync(0, int.MaxValue, None);

        // The old telemetry went (5 batches of 10 points); the event (30 d TTL) was moved above it.
        Assert.Equal(["young", "alarm"], stored.Select(OutboxFolder.Text).Order(StringComparer.Ordinal).Reverse());
        var stats = outbox.GetStats();
        Assert.Equal((50L, 50L, 5L), (stats.ExpiredPoints, stats.DroppedPoints, stats.DroppedBatches));
        Assert.Equal(50L, stored.Sum(b => b.DroppedPointsBefore));
    }

    [Fact]
    public async Task Open_AfterARestart_AgeContinuesFromTheLastRunNotFromTheNewMonotonicClock()
    {
        using var folder = WithTtl();
        using (var first = Open(folder, new JumpingClock()))
        {
            await first.AppendAsync(Batch(OutboxBatchKind.Telemetry, "old"), None);
            await first.AppendAsync(Batch(OutboxBatchKind.Telemetry, "old-2"), None);
        }

        // A reboot: the monotonic clock starts again near zero; 6 days of running time, twice.
        var second = new JumpingClock { Running = TimeSpan.FromSeconds(3) };
        using (var outbox = Open(folder, second))
        {
            second.Running += TimeSpan.FromDays(6);
            await outbox.AppendAsync(Batch(OutboxBatchKind.Telemetry, "mid"), None);
            Assert.Equal(0L, outbox.GetStats().ExpiredPoints);
        }

        var third = new JumpingClock();
        using var last = Open(folder, third);
        third.Running += TimeSpan.FromDays(1) + TimeSpan.FromHours(1);
        await last.AppendAsync(Batch(OutboxBatchKind.Telemetry, "new"), None);
        var stored = await last.ReadAsync(0, int.MaxValue, None);

        // "old" and "old-2" are 7 d 1 h old in running time now; "mid" is 1 d 1 h old.
        Assert.Equal(["mid", "new"], stored.Select(OutboxFolder.Text));
        Assert.Equal(20L, last.GetStats().ExpiredPoints);
    }

    private static OutboxFolder WithTtl()
    {
        var folder = new OutboxFolder();
        folder.Options.TelemetryTtl = TimeSpan.FromDays(7);
        folder.Options.EventTtl = TimeSpan.FromDays(30);
        return folder;
    }

    private static LiteDbOutbox Open(OutboxFolder folder, TimeProvider clock) => new(folder.Options, clock, NullLogger<LiteDbOutbox>.Instance);

    private static OutboxBatch Batch(OutboxBatchKind kind, string text) => new(kind, 10, 42, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Imitates what a real clock cannot be made to do on demand: the wall clock steps (NTP, a mis-set
    /// RTC) independently of the monotonic clock, which only the running time moves.
    /// </summary>
    private sealed class JumpingClock : TimeProvider
    {
        public DateTimeOffset Wall { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public TimeSpan Running { get; set; } = TimeSpan.FromHours(1);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => Wall;

        public override long GetTimestamp() => Running.Ticks;
    }
}
