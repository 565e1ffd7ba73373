using System.Text;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// The memory tail's bound (LiteDbOutbox.TailBound.cs) on a real, small tmpfs: when the disk lacks
/// the room to write the tail to LiteDB and the budget can drop nothing (only alarm events wait),
/// appends wait instead of growing memory, and go on once the hub acknowledges.
/// </summary>
public sealed class OutboxTailBoundTests
{
    private const int EventBytes = 16_000;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AppendAsync_TailAtItsBoundAndDiskShort_AppendsWaitThenCompleteAfterAcks()
    {
        using var disk = Mount();
        using var outbox = Open(disk);

        var appends = Enumerable.Range(0, 100).Select(i => outbox.AppendAsync(Event(i), None).AsTask()).ToList();

        // 1 MiB of tail (twice memoryTailBytes) takes about 66 events; the rest must wait.
        await WaitUntil(() => outbox.ParkedAppends > 0, "appends were never parked: the tail grew past its bound");
        await Task.Delay(300);
        var done = appends.Count(t => t.IsCompleted);
        Assert.InRange(done, 60, 70);
        Assert.All(appends.Where(t => t.IsCompleted), t => Assert.True(t.IsCompletedSuccessfully, $"{t.Exception}"));
        Assert.InRange(outbox.TailBatches * (long)EventBytes, 0, (1 << 20) + (4 * EventBytes));
        Assert.Equal(0, outbox.GetStats().DroppedBatches);

        // The hub acknowledges what it read: the tail empties, the parked appends go on in order.
        var read = await outbox.ReadAsync(0, 1000, None);
        await outbox.AcknowledgeAsync(read[^1].Sequence, None);
        var sequences = await Task.WhenAll(appends).WaitAsync(Deadline);

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(0, outbox.ParkedAppends);
        var rest = await outbox.ReadAsync(outbox.LastAcknowledgedSequence, 1000, None);
        Assert.Equal(Enumerable.Range(done, 100 - done), rest.Select(Index));
        Assert.Equal(sequences[done..], rest.Select(b => b.Sequence));
    }

    [Fact]
    public async Task Dispose_AppendsParked_FailWithAnErrorNamingTheDisk()
    {
        using var disk = Mount();
        Task<ulong>[] appends;
        using (var outbox = Open(disk))
        {
            appends = [.. Enumerable.Range(0, 90).Select(i => outbox.AppendAsync(Event(i), None).AsTask())];
            await WaitUntil(() => outbox.ParkedAppends > 0, "appends were never parked: the tail grew past its bound");
        }

        var parked = appends.Where(t => !t.IsCompletedSuccessfully).ToList();
        Assert.NotEmpty(parked);
        foreach (var append in parked)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => append.WaitAsync(Deadline));
            Assert.Contains("waited for disk space", error.Message, StringComparison.Ordinal);
            Assert.Contains(disk.Path, error.Message, StringComparison.Ordinal);
        }

        // What completed is durable: the next opening has it, and only it.
        using var reopened = Open(disk);
        var stored = await reopened.ReadAsync(0, 1000, None);
        Assert.Equal(Enumerable.Range(0, 90 - parked.Count), stored.Select(Index));
    }

    private static SmallTmpfs Mount() => SmallTmpfs.Mount(8, Directory.CreateTempSubdirectory("edge-tmpfs-").FullName);

    private static LiteDbOutbox Open(SmallTmpfs disk)
    {
        // 8 MiB disk, 7 MiB reserve: a tail past 512 KiB can never be written to LiteDB (that needs
        // the reserve plus twice the tail free), so the bound is 1 MiB of tail.
        var options = new OutboxOptions
        {
            Directory = disk.Path,
            JournalSegmentBytes = 256 * 1024,
            MaxBytes = 1L << 30,
            ReserveFreeBytes = 7L << 20,
            MemoryTailBytes = 512 * 1024,
            MaxGroupBatches = 4,
        };
        return new LiteDbOutbox(options, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);
    }

    private static OutboxBatch Event(int index) => new(OutboxBatchKind.Event, 1, 42, Encoding.ASCII.GetBytes($"e{index:D6}".PadRight(EventBytes)));

    private static int Index(StoredBatch batch) => int.Parse(Encoding.ASCII.GetString(batch.Payload, 1, 6), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(20);
        }
    }
}
