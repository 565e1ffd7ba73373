namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// The outbox's memory tail: recent batches stay in memory (and in the fsynced journal) until the
/// hub acknowledges them, and reach LiteDB only when more than <c>MemoryTailBytes</c> wait.
/// </summary>
public sealed class OutboxMemoryTailTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string Big = new('p', 16_000);

    [Fact]
    public async Task AcknowledgedPromptly_BatchesNeverReachLiteDb_StoreFilesStaySmall()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();

        // 200 batches of 16 KB (3.2 MB), each read and acknowledged right after it became
        // durable, as a connected hub does.
        for (var i = 1; i <= 200; i++)
        {
            var sequence = await outbox.AppendAsync(OutboxFolder.Batch(Big + i, points: 10), None);
            var read = await outbox.ReadAsync(sequence - 1, 10, None);
            Assert.Equal(Big + i, OutboxFolder.Text(Assert.Single(read)));
            await outbox.AcknowledgeAsync(sequence, None);
        }

        Assert.Equal((0L, 200UL), (outbox.GetStats().Batches, outbox.LastAcknowledgedSequence));
        Assert.Equal(0, outbox.TailBatches);
        var storeBytes = StoreFileBytes(folder);
        Assert.True(storeBytes < 256 * 1024, $"LiteDB's files hold {storeBytes} bytes: batches were written there");
    }

    [Fact]
    public async Task BacklogLargerThanTheTail_SpillsOldestToLiteDb_ReadsAndAcksSpanBoth()
    {
        using var folder = new OutboxFolder();
        folder.Options.MemoryTailBytes = 64 * 1024;
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= 40; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch(Big + i, points: i), None);
            }

            // At most the bound stays in memory (the whole tail goes to LiteDB once it is passed).
            Assert.InRange(outbox.TailBatches, 0, 5);
            Assert.True(StoreFileBytes(folder) > 40 * 16_000 * 3 / 4, "the older batches should be in LiteDB");

            var all = await outbox.ReadAsync(0, 100, None);
            Assert.Equal(Enumerable.Range(1, 40).Select(i => Big + i), all.Select(OutboxFolder.Text));
            var fromMiddle = await outbox.ReadAsync(37, 100, None);
            Assert.Equal([38UL, 39UL, 40UL], fromMiddle.Select(b => b.Sequence));

            // An acknowledgement across LiteDB and the tail, then one inside the tail.
            await outbox.AcknowledgeAsync(38, None);
            Assert.Equal((2L, 39L + 40L), (outbox.GetStats().Batches, outbox.GetStats().Points));
            await outbox.AcknowledgeAsync(39, None);
            Assert.Equal([40UL], (await outbox.ReadAsync(0, 100, None)).Select(b => b.Sequence));
        }

        using var reopened = folder.Open();
        Assert.Equal((40UL, 39UL), (reopened.LastDurableSequence, reopened.LastAcknowledgedSequence));
        Assert.Equal([Big + 40], (await reopened.ReadAsync(0, 100, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task Close_WritesTheTailToLiteDb_ReopenRestoresNothingFromTheJournal()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
            }

            Assert.Equal(5, outbox.TailBatches);
        }

        // The journal alone could restore them: remove it, and LiteDB must still hold all five.
        Directory.Delete(folder.JournalDirectory, recursive: true);
        using var reopened = folder.Open();
        Assert.Equal(["b1", "b2", "b3", "b4", "b5"], (await reopened.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task AcknowledgedInTheTail_MarkReachesLiteDbWithinASecond_ACrashThenSendsNothingTwice()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        for (var i = 1; i <= 10; i++)
        {
            await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
        }

        await outbox.AcknowledgeAsync(7, None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // A crash: the process dies with the outbox open (nothing closed, LiteDB's pages as the
        // OS has them). A copy of the folder as it is now stands for the disk after the restart.
        using var copy = new OutboxFolder();
        CopyFolder(folder.Options.Directory, copy.Options.Directory);
        using var restarted = copy.Open();
        Assert.Equal(7UL, restarted.LastAcknowledgedSequence);
        Assert.Equal([8UL, 9UL, 10UL], (await restarted.ReadAsync(0, 100, None)).Select(b => b.Sequence));
    }

    private static long StoreFileBytes(OutboxFolder folder) =>
        Directory.GetFiles(folder.Options.Directory, "outbox*.db").Sum(f => new FileInfo(f).Length);

    private static void CopyFolder(string from, string to)
    {
        // cp(1): .NET's own file opening would honour the open outbox's advisory lock.
        using var copy = System.Diagnostics.Process.Start("cp", ["-a", from + "/.", to])!;
        copy.WaitForExit();
        Assert.Equal(0, copy.ExitCode);
    }
}
