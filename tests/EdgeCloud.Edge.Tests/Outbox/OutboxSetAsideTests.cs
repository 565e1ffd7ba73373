using System.Text;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// What happens to the damaged stores recovery sets aside (<c>outbox.db.damaged-*</c>): one is kept,
/// the newest; it counts against the disk budget; it goes first when the budget or the free-space
/// reserve needs room, before any batch. The set-aside files here are real files with made-up
/// content: the outbox never reads them, it only sizes and deletes them.
/// </summary>
public sealed class OutboxSetAsideTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void Open_SeveralSetAsideStores_KeepsOnlyTheNewestAndCountsIt()
    {
        using var folder = new OutboxFolder();
        Directory.CreateDirectory(folder.Options.Directory);
        var oldest = SetAside(folder, "20260101000000", 1000, withLog: true);
        var older = SetAside(folder, "20260102000000", 2000, withLog: false);
        var newest = SetAside(folder, "20260102000000-2", 3000, withLog: true);
        var notOurs = Path.Combine(folder.Options.Directory, "outbox.db.damaged-notes.txt");
        File.WriteAllText(notOurs, "an engineer's notes");

        using var outbox = folder.Open();

        Assert.Equal([newest, newest + "-log"], SetAsideFiles(folder));
        Assert.False(File.Exists(oldest + "-log"));
        Assert.False(File.Exists(older));
        Assert.True(File.Exists(notOurs));
        Assert.Equal(3000 + 100, outbox.SetAsideBytes);
        Assert.Equal(0, outbox.StoreSetAsides);
    }

    [Fact]
    public async Task Open_StoreDamagedWhileAnOlderSetAsideHasALaterName_KeepsTheNewOneOnly()
    {
        // The wall clock went back since the older store was set aside (a mis-set RTC): its name is
        // later than the new one's, but the store just set aside is the one worth inspecting.
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            await outbox.AppendAsync(OutboxFolder.Batch("kept"), None);
        }

        var older = SetAside(folder, "20300101000000", 5000, withLog: true);
        await File.WriteAllBytesAsync(folder.DatabasePath, Enumerable.Repeat((byte)0xA5, 16384).ToArray());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero));

        using var reopened = new LiteDbOutbox(folder.Options, time, NullLogger<LiteDbOutbox>.Instance);

        var aside = Path.Combine(folder.Options.Directory, "outbox.db.damaged-20261125040000");
        Assert.Equal(aside, Assert.Single(SetAsideFiles(folder), f => !f.EndsWith("-log", StringComparison.Ordinal)));
        Assert.False(File.Exists(older) || File.Exists(older + "-log"));
        Assert.Equal(16384 + LengthOrZero(aside + "-log"), reopened.SetAsideBytes);
        Assert.Equal(1, reopened.StoreSetAsides);
        Assert.Equal(["kept"], (await reopened.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task AppendAsync_SetAsideStoreTakesTheRoomTheBatchesNeed_DeletesItBeforeCompactingOrDropping()
    {
        // 1 MiB budget: the 400 KiB set-aside store fits beside an empty outbox, then batches grow
        // past what the budget leaves beside it ((1 MiB - 400 KiB) / 2 = 312 KiB of payload) but
        // stay within the budget alone (512 KiB): the set-aside store goes, no batch does.
        using var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        folder.Options.MaxBytes = 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        Directory.CreateDirectory(folder.Options.Directory);
        var aside = SetAside(folder, "20260101000000", 400 * 1024, withLog: false);
        using var outbox = folder.Open();
        Assert.Equal(400 * 1024, outbox.SetAsideBytes);

        for (var i = 0; i < 20; i++)
        {
            await outbox.AppendAsync(Telemetry(i), None);
        }

        await outbox.ProbeAsync(None); // queued behind the budget check of the last group
        Assert.True(File.Exists(aside), "deleted while the budget still had room for it beside 200 KB of batches");

        for (var i = 20; i < 40; i++)
        {
            await outbox.AppendAsync(Telemetry(i), None);
        }

        await outbox.ProbeAsync(None);
        var stats = outbox.GetStats();
        Assert.False(File.Exists(aside), "kept past the budget");
        Assert.Equal(0, outbox.SetAsideBytes);
        Assert.Equal((0L, 0L, 40L), (stats.CompactedBatches, stats.DroppedBatches, stats.Batches));
    }

    [Fact]
    public void Open_SetAsideStoreAloneExceedsTheBudget_IsDeleted()
    {
        using var folder = new OutboxFolder();
        folder.Options.MaxBytes = 1024 * 1024;
        folder.Options.ReserveFreeBytes = 0;
        Directory.CreateDirectory(folder.Options.Directory);
        var aside = SetAside(folder, "20260101000000", 2 * 1024 * 1024, withLog: true);

        using var outbox = folder.Open();

        Assert.False(File.Exists(aside) || File.Exists(aside + "-log"));
        Assert.Equal(0, outbox.SetAsideBytes);
    }

    [Fact]
    public void Open_FilesystemBelowTheFreeSpaceReserve_DeletesTheSetAsideStore()
    {
        // No budget at all, but a reserve larger than any disk here: the filesystem is short of it.
        using var folder = new OutboxFolder();
        folder.Options.ReserveFreeBytes = 1L << 40;
        Directory.CreateDirectory(folder.Options.Directory);
        var aside = SetAside(folder, "20260101000000", 1000, withLog: false);

        using var outbox = folder.Open();

        Assert.False(File.Exists(aside));
    }

    [Fact]
    public void Open_NoBudgetAndRoomOnDisk_KeepsTheSetAsideStore()
    {
        using var folder = new OutboxFolder();
        folder.Options.ReserveFreeBytes = 0;
        Directory.CreateDirectory(folder.Options.Directory);
        var aside = SetAside(folder, "20260101000000", 1000, withLog: true);

        using var outbox = folder.Open();

        Assert.Equal([aside, aside + "-log"], SetAsideFiles(folder));
        Assert.Equal(1100, outbox.SetAsideBytes);
    }

    /// <summary>A set-aside store named for <paramref name="stamp"/>: <paramref name="bytes"/> of data, and a 100-byte log.</summary>
    private static string SetAside(OutboxFolder folder, string stamp, int bytes, bool withLog)
    {
        var path = Path.Combine(folder.Options.Directory, SetAsideStore.Prefix + stamp);
        File.WriteAllBytes(path, new byte[bytes]);
        if (withLog)
        {
            File.WriteAllBytes(path + "-log", new byte[100]);
        }

        return path;
    }

    private static List<string> SetAsideFiles(OutboxFolder folder) =>
        [.. Directory.GetFiles(folder.Options.Directory, SetAsideStore.Prefix + "*").Where(f => !f.Contains("notes", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static long LengthOrZero(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static OutboxBatch Telemetry(int index)
    {
        var payload = new byte[10_000];
        Encoding.ASCII.GetBytes($"t{index:D6}").CopyTo(payload, 0);
        return new OutboxBatch(OutboxBatchKind.Telemetry, 10, 42, payload);
    }
}
