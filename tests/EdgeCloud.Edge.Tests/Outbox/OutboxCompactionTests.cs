using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>Compaction before drop on a real outbox in a temp folder, with batches encoded as the agent encodes them.</summary>
public sealed class OutboxCompactionTests
{
    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;
    private const long Base = 1_699_999_980 * Second; // on a minute
    private const int Tags = 10;
    private const int Samples = 100; // per tag and batch, 100 ms apart: a batch spans 10 s
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AppendAsync_OverBudget_CompactsOldestIntoExactRollupsKeepsEverySequenceAndDropsNothing()
    {
        using var folder = Budgeted();
        var all = new List<Point>();
        var telemetry = new HashSet<ulong>();
        using var outbox = folder.Open();
        await outbox.AppendAsync(Event(), None);
        for (var i = 0; i < 60; i++)
        {
            telemetry.Add(await outbox.AppendAsync(Raw(i, all), None));
        }

        var stored = await outbox.ReadAsync(0, int.MaxValue, None); // queued behind the last budget pass
        var stats = outbox.GetStats();

        Assert.True(stats.CompactedPoints > 0, "nothing was compacted: the budget was never reached");
        Assert.Equal((0L, 0L), (stats.DroppedPoints, stored.Sum(b => b.DroppedPointsBefore)));
        Assert.True(stats.JournalBytes <= (folder.Options.MaxBytes / 2) + (2 * 64 * 1024), $"journal {stats.JournalBytes} bytes: compaction must give segments back");
        Assert.Single(stored, b => b.Kind == OutboxBatchKind.Event);

        // Every telemetry sequence is still there exactly once: raw, or as a compacted entry under its own sequence.
        var (raw, entries) = Expand(stored);
        var carried = raw.Select(b => b.Sequence).Concat(entries.Where(e => e.Rollups.Count > 0 || e.Points.Count > 0).Select(e => e.Sequence)).ToList();
        Assert.Equal(telemetry.Order(), carried.Order());
        Assert.Equal(stats.CompactedPoints, entries.Sum(e => (long)e.CompactedPoints));

        // The rollups (plus what is still raw) hold exactly the good points' statistics per tag and minute ...
        var expected = MinuteStats(all.Where(IsCountable).Select(p => (p.Tag, (long)p.TimeUnixNano, p.Number, 1L)));
        var actual = MinuteStats(
            raw.SelectMany(b => b.Points).Where(IsCountable).Select(p => (p.Tag, (long)p.TimeUnixNano, p.Number, 1L))
                .Concat(entries.SelectMany(e => e.Rollups).Select(r => (r.Tag, (long)r.WindowStartUnixNano, double.NaN, (long)r.Count))),
            entries.SelectMany(e => e.Rollups).ToList());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value, actual[key]);
        }

        // ... and the points that do not fold into a number (bad quality) are all still raw.
        Assert.Equal(all.Count(p => !IsCountable(p)), raw.Sum(b => b.Points.Count(p => !IsCountable(p))) + entries.Sum(e => e.Points.Count));
    }

    [Fact]
    public async Task AppendAsync_CompactionCannotFreeEnough_DropsOldestAndEveryPointIsAccountedFor()
    {
        using var folder = Budgeted();
        using var outbox = folder.Open();
        var all = new List<Point>();
        ulong last = 0;
        for (var i = 0; i < 150; i++)
        {
            // Every third point bad: those stay raw, so compaction frees less and a drop must follow.
            last = await outbox.AppendAsync(Raw(i, all, badEvery: 3), None);
        }

        var stored = await outbox.ReadAsync(0, int.MaxValue, None);
        var stats = outbox.GetStats();

        Assert.True(stats.CompactedPoints > 0 && stats.DroppedPoints > 0, $"compacted {stats.CompactedPoints}, dropped {stats.DroppedPoints}: both should have happened");
        // Raw points stored, stood for by rollups, or dropped and announced: nothing else.
        Assert.Equal(all.Count, stored.Sum(b => (long)b.PointCount) + stats.DroppedPoints);
        Assert.Equal(stats.DroppedPoints, stored.Sum(b => b.DroppedPointsBefore));
        Assert.True(stored.Sum(b => b.Payload.Length) <= folder.Options.MaxBytes / 2, "stored payload within half the budget");
        // The newest raw batch is never touched (carriers are written above it).
        Assert.Contains(stored, b => b.Sequence == last && b.Kind == OutboxBatchKind.Telemetry);
    }

    [Fact]
    public async Task AppendAsync_CompactionOff_DropsAtOnce()
    {
        using var folder = Budgeted();
        folder.Options.CompactWindowSeconds = 0;
        using var outbox = folder.Open();
        for (var i = 0; i < 60; i++)
        {
            await outbox.AppendAsync(Raw(i, []), None);
        }

        await outbox.ReadAsync(0, 1, None);
        var stats = outbox.GetStats();
        Assert.Equal(0L, stats.CompactedPoints);
        Assert.True(stats.DroppedPoints > 0);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    [InlineData(45)]
    public void Open_WindowNotDividingAMinute_RefusedWithTheReason(int seconds)
    {
        using var folder = new OutboxFolder();
        folder.Options.CompactWindowSeconds = seconds;

        var error = Assert.Throws<ArgumentException>(() => new LiteDbOutbox(folder.Options, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance));
        Assert.Contains($"compaction window {seconds} s must divide 60", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_LongOutageOnALargeBudget_CarriersMergeButNeverPassTheMessageCap()
    {
        // 24 MiB: a sixteenth (the old carrier bound) is 1.5 MiB, above the cap that keeps a carrier sendable.
        using var folder = new OutboxFolder(segmentBytes: 1024 * 1024);
        folder.Options.MaxBytes = 24 * 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        using var outbox = folder.Open();
        var telemetry = new HashSet<ulong>();
        for (var i = 0; i < 90; i++)
        {
            telemetry.Add(await outbox.AppendAsync(ManyTags(i), None));
        }

        var stored = await outbox.ReadAsync(0, int.MaxValue, None);
        var carriers = stored.Where(b => b.Kind == OutboxBatchKind.Compacted).ToList();

        // Merged across many compactions (more rollups than one carrier may hold), yet each under the cap.
        Assert.True(carriers.Sum(c => (long)c.Payload.Length) > 2L * OutboxLimits.MaxCarrierBytes, $"carriers {string.Join(", ", carriers.Select(c => c.Payload.Length))}: too few compactions to test the cap");
        Assert.All(carriers, c => Assert.InRange(c.Payload.Length, 1, OutboxLimits.MaxCarrierBytes));
        Assert.Equal(0L, outbox.GetStats().DroppedPoints);

        // Every telemetry sequence is still there exactly once, raw or as an entry of one carrier.
        var (raw, entries) = Expand(stored);
        var carried = raw.Select(b => b.Sequence).Concat(entries.Where(e => e.Rollups.Count > 0 || e.Points.Count > 0).Select(e => e.Sequence)).ToList();
        Assert.Equal(telemetry.Order(), carried.Order());
    }

    private static OutboxFolder Budgeted()
    {
        var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        folder.Options.MaxBytes = 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        return folder;
    }

    /// <summary>Batch <paramref name="index"/>: 10 tags x 100 samples, every <paramref name="badEvery"/>th point bad (no value).</summary>
    private static OutboxBatch Raw(int index, List<Point> all, int badEvery = 37)
    {
        var batch = new TelemetryBatch { SealedUnixNano = (ulong)(Base + (index * 10 * Second)) };
        for (var s = 0; s < Samples; s++)
        {
            for (var t = 0; t < Tags; t++)
            {
                var at = (ulong)(Base + (index * 10 * Second) + (s * Second / 10));
                var point = all.Count % badEvery == 0
                    ? new Point { Tag = $"plc/t{t}", TimeUnixNano = at, Quality = Quality.BadTimeout }
                    : new Point { Tag = $"plc/t{t}", TimeUnixNano = at, Number = (index * 1000) + (s * 10) + t };
                batch.Points.Add(point);
                all.Add(point);
            }
        }

        return new OutboxBatch(OutboxBatchKind.Telemetry, batch.Points.Count, (long)batch.SealedUnixNano, batch.ToByteArray());
    }

    /// <summary>Batch <paramref name="index"/>: 1000 tags x 10 samples in minute <paramref name="index"/> (rollups ~5x smaller than the points).</summary>
    private static OutboxBatch ManyTags(int index)
    {
        var batch = new TelemetryBatch { SealedUnixNano = (ulong)(Base + (index * Minute)) };
        for (var s = 0; s < 10; s++)
        {
            for (var t = 0; t < 1000; t++)
            {
                batch.Points.Add(new Point { Tag = $"plc/t{t:0000}", TimeUnixNano = (ulong)(Base + (index * Minute) + (s * 5 * Second)), Number = (s * 10) + t });
            }
        }

        return new OutboxBatch(OutboxBatchKind.Telemetry, batch.Points.Count, (long)batch.SealedUnixNano, batch.ToByteArray());
    }

    private static OutboxBatch Event() =>
        new(OutboxBatchKind.Event, 1, Base, new TelemetryBatch { Alarms = { new AlarmEvent { AlarmId = "a1", EventNumber = 1, State = "active" } } }.ToByteArray());

    private static bool IsCountable(Point p) => p.Quality == Quality.Good && p.ValueCase == Point.ValueOneofCase.Number;

    private static (List<TelemetryBatch> Raw, List<TelemetryBatch> Entries) Expand(IEnumerable<StoredBatch> stored)
    {
        var raw = new List<TelemetryBatch>();
        var entries = new List<TelemetryBatch>();
        foreach (var batch in stored)
        {
            var parsed = TelemetryBatch.Parser.ParseFrom(batch.Payload);
            if (batch.Kind == OutboxBatchKind.Compacted)
            {
                entries.AddRange(parsed.Compacted);
            }
            else if (batch.Kind == OutboxBatchKind.Telemetry)
            {
                parsed.Sequence = batch.Sequence;
                raw.Add(parsed);
            }
        }

        return (raw, entries);
    }

    /// <summary>
    /// count/min/max/sum/last per (tag, minute) of single points (count 1, value) and, when given, rollups
    /// (count n, looked up in <paramref name="rollups"/> by tag and window start for their statistics).
    /// </summary>
    private static Dictionary<(string, long), (long Count, double Min, double Max, double Sum, double Last, long LastAt)> MinuteStats(
        IEnumerable<(string Tag, long At, double Value, long Count)> items, List<Rollup>? rollups = null)
    {
        var lookup = rollups?.GroupBy(r => (r.Tag, (long)r.WindowStartUnixNano)).ToDictionary(g => g.Key, g => new Queue<Rollup>(g));
        var result = new Dictionary<(string, long), (long Count, double Min, double Max, double Sum, double Last, long LastAt)>();
        foreach (var (tag, at, value, count) in items)
        {
            (long Count, double Min, double Max, double Sum, double Last, long LastAt) add = double.IsNaN(value)
                ? FromRollup(lookup![(tag, at)].Dequeue())
                : (1, value, value, value, value, at);
            var key = (tag, at - (at % Minute));
            result[key] = result.TryGetValue(key, out var had)
                ? (had.Count + add.Count, Math.Min(had.Min, add.Min), Math.Max(had.Max, add.Max), had.Sum + add.Sum, add.LastAt >= had.LastAt ? add.Last : had.Last, Math.Max(had.LastAt, add.LastAt))
                : add;
        }

        return result;

        static (long, double, double, double, double, long) FromRollup(Rollup r) => ((long)r.Count, r.Min, r.Max, r.Sum, r.Last, (long)r.LastTimeUnixNano);
    }
}
