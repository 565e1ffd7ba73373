using System.Text;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Tests.Outbox;

public sealed class OutboxBudgetTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AppendAsync_OverBudget_DropsOldestTelemetryKeepsEventsAndCountsTheLoss()
    {
        using var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        folder.Options.MaxBytes = 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        using (var outbox = folder.Open())
        {
            await outbox.AppendAsync(Event("alarm-1"), None);
            for (var i = 0; i < 200; i++)
            {
                await outbox.AppendAsync(Telemetry(i, 10_000), None);
            }

            var stored = await outbox.ReadAsync(0, int.MaxValue, None); // queued behind the last drop
            var stats = outbox.GetStats();
            // Stored payload stays within half the budget (journal + store each hold a copy) ...
            Assert.True(stats.Points * 1000 <= folder.Options.MaxBytes / 2, $"{stats.Points} points of 1000 bytes stored");
            // ... and the journal gives its space back too (released in whole 64 KiB segments).
            Assert.True(stats.JournalBytes <= (folder.Options.MaxBytes / 2) + (2 * 64 * 1024), $"journal {stats.JournalBytes} bytes");
            Assert.True(stats.DroppedBatches > 0);
            Assert.Equal(stats.DroppedBatches * 10, stats.DroppedPoints);

            // The event outlived older telemetry: moved above the dropped range, not dropped.
            Assert.Contains(stored, b => b.Kind == OutboxBatchKind.Event && OutboxFolder.Text(b).StartsWith("alarm-1", StringComparison.Ordinal));
            // What is left is the newest telemetry, contiguous up to the last one appended.
            var telemetry = stored.Where(b => b.Kind == OutboxBatchKind.Telemetry).Select(Index).ToList();
            Assert.Equal(199, telemetry[^1]);
            Assert.Equal(Enumerable.Range(telemetry[0], telemetry.Count), telemetry);
            // Every dropped point is announced exactly once, on batches the hub has not received.
            Assert.Equal(stats.DroppedPoints, stored.Sum(b => b.DroppedPointsBefore));
        }

        // The announcement is stored state: it survives a restart.
        using var reopened = folder.Open();
        var again = await reopened.ReadAsync(0, int.MaxValue, None);
        Assert.True(again.Sum(b => b.DroppedPointsBefore) > 0);
    }

    [Fact]
    public async Task AppendAsync_OverBudgetWhileHealthProbesRun_StillDrops()
    {
        // No hub session (nothing read for sending, so nothing in flight) and a monitor probing health all along:
        // the probe must not count as a hand-out, or the budget would wait for an acknowledgement that never comes.
        using var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        folder.Options.MaxBytes = 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        using var outbox = folder.Open();
        for (var i = 0; i < 200; i++)
        {
            await outbox.AppendAsync(Telemetry(i, 10_000), None);
            await outbox.ProbeAsync(None);
        }

        var stats = outbox.GetStats();
        Assert.True(stats.DroppedBatches > 0, $"nothing dropped: {stats.Batches} batches, {stats.Points} points stored");
        Assert.True(stats.Points * 1000 <= folder.Options.MaxBytes / 2, $"{stats.Points} points of 1000 bytes stored");
    }

    [Fact]
    public async Task AppendAsync_WithinBudget_DropsNothing()
    {
        using var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        folder.Options.MaxBytes = 8 * 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        using var outbox = folder.Open();
        for (var i = 0; i < 100; i++)
        {
            await outbox.AppendAsync(Telemetry(i, 10_000), None);
        }

        await outbox.ReadAsync(0, 1, None); // queued behind any drop the last group caused
        var stats = outbox.GetStats();
        Assert.Equal((0L, 100L, 0UL), (stats.DroppedBatches, stats.Batches, outbox.LastAcknowledgedSequence));
    }

    [Fact]
    public async Task AppendAsync_FilesystemNearlyFull_DropsOldestToKeepTheReserveAndKeepsAccepting()
    {
        // A real small disk: a 24 MiB tmpfs (the test runs as root, as CI does) holding the whole
        // outbox, a budget far larger than the disk, and a 10 MiB reserve that keeps LiteDB's own
        // files (its log grows to ~8 MiB between checkpoints) from ever meeting a full disk.
        using var disk = SmallTmpfs.Mount(24, Directory.CreateTempSubdirectory("edge-tmpfs-").FullName);
        var options = new OutboxOptions { Directory = disk.Path, JournalSegmentBytes = 256 * 1024, MaxBytes = 1L << 30, ReserveFreeBytes = 10 * 1024 * 1024 };
        using var outbox = new LiteDbOutbox(options, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);

        // 60 MB of batches through a 24 MiB disk.
        ulong last = 0;
        for (var i = 0; i < 1500; i++)
        {
            last = await outbox.AppendAsync(Telemetry(i, 40_000), None);
        }

        await AssertKeptNewestAndAnnouncedLossAsync(outbox, last, 1500);
    }

    [Fact]
    public async Task AppendAsync_JournalDiskFull_DropsOldestAndRetriesTheGroup()
    {
        // The journal alone on a full 4 MiB tmpfs: its append meets a real ENOSPC (no reserve, a
        // huge budget), cuts itself back, and the outbox makes room and retries the same group.
        using var folder = new OutboxFolder(segmentBytes: 256 * 1024);
        using var disk = SmallTmpfs.Mount(4, folder.JournalDirectory);
        folder.Options.MaxBytes = 1L << 30;
        folder.Options.ReserveFreeBytes = 0;
        using var outbox = folder.Open();

        ulong last = 0;
        for (var i = 0; i < 400; i++)
        {
            last = await outbox.AppendAsync(Telemetry(i, 40_000), None);
        }

        await AssertKeptNewestAndAnnouncedLossAsync(outbox, last, 400);
    }

    private static async Task AssertKeptNewestAndAnnouncedLossAsync(LiteDbOutbox outbox, ulong last, int appended)
    {
        // Read first: it queues behind the room-making that follows the last group on the writer
        // thread, so the stats after it are final.
        var stored = await outbox.ReadAsync(0, int.MaxValue, None);
        var stats = outbox.GetStats();
        Assert.Equal((ulong)appended, last);
        Assert.True(stats.DroppedPoints > 0, "nothing was dropped: the disk never filled");
        Assert.Equal(appended - 1, Index(stored[^1]));
        Assert.Equal(Enumerable.Range(Index(stored[0]), stored.Count), stored.Select(Index));
        Assert.Equal(stats.DroppedPoints, stored.Sum(b => b.DroppedPointsBefore));
        Assert.Equal(appended, (int)(stats.Batches + stats.DroppedBatches));
    }

    private static OutboxBatch Telemetry(int index, int bytes)
    {
        var payload = new byte[bytes];
        Encoding.ASCII.GetBytes($"t{index:D6}").CopyTo(payload, 0);
        return new OutboxBatch(OutboxBatchKind.Telemetry, 10, 42, payload);
    }

    private static OutboxBatch Event(string text) => new(OutboxBatchKind.Event, 1, 42, Encoding.ASCII.GetBytes(text.PadRight(1000)));

    private static int Index(StoredBatch batch) => int.Parse(Encoding.ASCII.GetString(batch.Payload, 1, 6), System.Globalization.CultureInfo.InvariantCulture);
}
