namespace EdgeCloud.Edge.Tests.Outbox;

public sealed class LiteDbOutboxTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AcknowledgeAsync_CountsWhatItRemoves_InStatsBeforeAndAfterReopen()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            await outbox.AppendAsync(OutboxFolder.Batch("aa", points: 10), CancellationToken.None);
            await outbox.AppendAsync(OutboxFolder.Batch("bbbb", points: 20), CancellationToken.None);
            await outbox.AppendAsync(OutboxFolder.Batch("cccccc", points: 30), CancellationToken.None);
            await outbox.AcknowledgeAsync(2, CancellationToken.None);

            var stats = outbox.GetStats();
            Assert.Equal((1L, 30L), (stats.Batches, stats.Points));
        }

        using var reopened = folder.Open();
        await reopened.AcknowledgeAsync(3, CancellationToken.None);
        var after = reopened.GetStats();
        Assert.Equal((0L, 0L, 3UL), (after.Batches, after.Points, after.LastAcknowledgedSequence));
    }

    [Fact]
    public async Task AppendAsync_SeveralBatches_AssignsIncreasingSequencesAndReadsThemBackInOrder()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();

        var sequences = new List<ulong>();
        foreach (var text in new[] { "a", "b", "c" })
        {
            sequences.Add(await outbox.AppendAsync(OutboxFolder.Batch(text, points: 2), None));
        }

        Assert.Equal([1UL, 2UL, 3UL], sequences);
        var read = await outbox.ReadAsync(0, 10, None);
        Assert.Equal(["a", "b", "c"], read.Select(OutboxFolder.Text));
        Assert.Equal([1UL, 2UL, 3UL], read.Select(b => b.Sequence));
        Assert.Equal(6, outbox.GetStats().Points);
        Assert.Equal(["c"], (await outbox.ReadAsync(2, 10, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task AcknowledgeAsync_DeletesUpToSequence_AndSequencesAreNeverReusedAfterReopen()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            for (var i = 0; i < 4; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
            }

            await outbox.AcknowledgeAsync(4, None);
            Assert.Empty(await outbox.ReadAsync(0, 10, None));
            Assert.Equal(0, outbox.GetStats().Batches);
        }

        using var reopened = folder.Open();
        Assert.Equal((4UL, 4UL), (reopened.LastDurableSequence, reopened.LastAcknowledgedSequence));
        Assert.Equal(5UL, await reopened.AppendAsync(OutboxFolder.Batch("next"), None));
    }

    [Fact]
    public async Task AppendAsync_WhenItReturns_RecordIsAlreadyInTheJournalFile()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();

        await outbox.AppendAsync(OutboxFolder.Batch("durable-marker-1234"), None);

        // Read the journal with a separate handle: the bytes reached the file (and were fsynced
        // by the journal) before AppendAsync completed.
        var bytes = Directory.GetFiles(folder.JournalDirectory, "*.seg").SelectMany(File.ReadAllBytes).ToArray();
        Assert.Contains("durable-marker-1234", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_StoreLostItsRecentWrites_RestoresUnacknowledgedBatchesFromJournal()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
            }

            await outbox.AcknowledgeAsync(2, None);
        }

        // Imitates a power loss that took LiteDB's unsynced file with it: only the journal is left.
        File.Delete(folder.DatabasePath);

        // The acknowledged mark went with the file, so b1 and b2 come back too: they are sent
        // again and the hub skips them by sequence (at-least-once on the wire, never a loss).
        using var reopened = folder.Open();
        var read = await reopened.ReadAsync(0, 10, None);
        Assert.Equal(["b1", "b2", "b3", "b4", "b5"], read.Select(OutboxFolder.Text));
        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], read.Select(b => b.Sequence));
        Assert.Equal(5UL, reopened.LastDurableSequence);
        Assert.Equal(6UL, await reopened.AppendAsync(OutboxFolder.Batch("b6"), None));
    }

    [Fact]
    public async Task Open_StoreRevertedToAnOlderState_RestoresEveryDurableBatchAndNeverReusesASequence()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= 3; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
            }
        }

        // Imitates a power loss after which LiteDB's file holds only what it had at an earlier
        // moment (its later commits were never fsynced), while the journal, fsynced before each
        // "durable", holds everything.
        var snapshot = folder.DatabasePath + ".snapshot";
        File.Copy(folder.DatabasePath, snapshot);
        using (var outbox = folder.Open())
        {
            for (var i = 4; i <= 7; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"b{i}"), None);
            }

            await outbox.AcknowledgeAsync(2, None);
        }

        File.Copy(snapshot, folder.DatabasePath, overwrite: true);
        var log = Path.ChangeExtension(folder.DatabasePath, null) + "-log.db";
        if (File.Exists(log))
        {
            File.Delete(log);
        }

        using var reopened = folder.Open();
        var read = await reopened.ReadAsync(0, 20, None);
        Assert.Equal(["b1", "b2", "b3", "b4", "b5", "b6", "b7"], read.Select(OutboxFolder.Text));
        Assert.Equal(7UL, reopened.LastDurableSequence);
        Assert.Equal(8UL, await reopened.AppendAsync(OutboxFolder.Batch("b8"), None));
    }

    [Fact]
    public async Task Open_JournalHasTornTail_KeepsIntactRecordsAndCutsTheTail()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            await outbox.AppendAsync(OutboxFolder.Batch("one"), None);
            await outbox.AppendAsync(OutboxFolder.Batch("two"), None);
        }

        // A power loss in the middle of an append: half a record at the end of the segment.
        var segment = Directory.GetFiles(folder.JournalDirectory, "*.seg").Single();
        var intactLength = new FileInfo(segment).Length;
        await File.AppendAllBytesAsync(segment, [0x45, 0x43, 0x42, 0x4A, 0xFF, 0x00, 0x00]);
        File.Delete(folder.DatabasePath);

        using (var reopened = folder.Open())
        {
            Assert.Equal(["one", "two"], (await reopened.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
            Assert.Equal(intactLength, new FileInfo(segment).Length);
            Assert.Equal(3UL, await reopened.AppendAsync(OutboxFolder.Batch("three"), None));
        }

        File.Delete(folder.DatabasePath);
        using var again = folder.Open();
        Assert.Equal(["one", "two", "three"], (await again.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task Open_StoreFileIsGarbage_SetsItAsideAndRebuildsFromJournal()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            await outbox.AppendAsync(OutboxFolder.Batch("kept"), None);
        }

        await File.WriteAllBytesAsync(folder.DatabasePath, Enumerable.Repeat((byte)0xA5, 16384).ToArray());

        using var reopened = folder.Open();
        Assert.Equal(["kept"], (await reopened.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
        Assert.Single(Directory.GetFiles(folder.Options.Directory, "outbox.db.damaged-*"), f => !f.EndsWith("-log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentCallers_ShareFsyncsAndGetDistinctSequences()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();

        var sequences = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => outbox.AppendAsync(OutboxFolder.Batch($"c{i}"), None).AsTask()));

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (ulong)i), sequences.Order());
        Assert.True(outbox.GroupCommits < 300, $"expected group commits, got {outbox.GroupCommits} fsyncs for 300 batches");
        Assert.Equal(300, (await outbox.ReadAsync(0, 1000, None)).Count);
    }

    [Fact]
    public async Task AcknowledgeAsync_FullyAcknowledgedSegments_AreDeletedButTheNewestStays()
    {
        using var folder = new OutboxFolder(segmentBytes: 64 * 1024);
        using var outbox = folder.Open();
        var big = new string('x', 20_000);
        for (var i = 0; i < 20; i++)
        {
            await outbox.AppendAsync(OutboxFolder.Batch(big), None);
        }

        var before = Directory.GetFiles(folder.JournalDirectory, "*.seg").Length;
        await outbox.AcknowledgeAsync(20, None);
        var after = Directory.GetFiles(folder.JournalDirectory, "*.seg").Length;

        Assert.True(before >= 5, $"expected several segments, got {before}");
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task AcknowledgeAsync_LargeBacklogFullyDrained_StoreFileShrinksAndStateSurvives()
    {
        using var folder = new OutboxFolder();
        folder.Options.ShrinkStoreAboveBytes = 1024 * 1024;
        folder.Options.MemoryTailBytes = 0; // every batch goes to LiteDB (the backlog case)
        var big = new string('p', 16_000);
        using (var outbox = folder.Open())
        {
            for (var i = 0; i < 300; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch(big, points: 10), None);
            }

            var grown = new FileInfo(folder.DatabasePath).Length;
            Assert.True(grown > 4 * 1024 * 1024, $"store should have grown, is {grown} bytes");

            await outbox.AcknowledgeAsync(300, None);

            var shrunk = new FileInfo(folder.DatabasePath).Length;
            Assert.True(shrunk < 256 * 1024, $"store should have shrunk, is {shrunk} bytes");
            Assert.Equal(301UL, await outbox.AppendAsync(OutboxFolder.Batch("after"), None));
        }

        using var reopened = folder.Open();
        Assert.Equal((301UL, 300UL), (reopened.LastDurableSequence, reopened.LastAcknowledgedSequence));
        Assert.Equal(["after"], (await reopened.ReadAsync(0, 10, None)).Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task EnsureSequenceAboveAsync_HubHoldsHigherSequences_RenumbersWaitingBatchesAboveIt()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();
        await outbox.AppendAsync(OutboxFolder.Batch("new-1"), None);
        await outbox.AppendAsync(OutboxFolder.Batch("new-2"), None);

        await outbox.EnsureSequenceAboveAsync(1000, None);

        var read = await outbox.ReadAsync(0, 10, None);
        Assert.Equal([(1001UL, "new-1"), (1002UL, "new-2")], read.Select(b => (b.Sequence, OutboxFolder.Text(b))));
        Assert.Equal(1003UL, await outbox.AppendAsync(OutboxFolder.Batch("new-3"), None));
    }

    [Fact]
    public async Task RenumberAboveAsync_OwnSequencesAboveTheHubsMark_MovesEveryWaitingBatchAboveBothInOrder()
    {
        using var folder = new OutboxFolder();
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= 12; i++)
            {
                await outbox.AppendAsync(OutboxFolder.Batch($"n{i}"), None);
            }

            // The hub holds 1..10 from an earlier life; this outbox already made 1..12.
            await outbox.RenumberAboveAsync(10, None);

            var read = await outbox.ReadAsync(0, 20, None);
            Assert.Equal(Enumerable.Range(13, 12).Select(i => (ulong)i), read.Select(b => b.Sequence));
            Assert.Equal(Enumerable.Range(1, 12).Select(i => $"n{i}"), read.Select(OutboxFolder.Text));

            // Run again before the hub stored any of them (a reconnect): still every batch once.
            await outbox.RenumberAboveAsync(10, None);
            read = await outbox.ReadAsync(0, 20, None);
            Assert.Equal(Enumerable.Range(1, 12).Select(i => $"n{i}"), read.Select(OutboxFolder.Text));
            Assert.Equal(25UL, read[0].Sequence);
        }

        // The old copies stay gone after a restart (the journal still holds them).
        using var reopened = folder.Open();
        var again = await reopened.ReadAsync(0, 50, None);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"n{i}"), again.Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task WaitForSequenceAsync_CompletesWhenThatSequenceBecomesDurable()
    {
        using var folder = new OutboxFolder();
        using var outbox = folder.Open();

        var waiting = outbox.WaitForSequenceAsync(2, None);
        await outbox.AppendAsync(OutboxFolder.Batch("1"), None);
        Assert.False(waiting.IsCompleted);
        await outbox.AppendAsync(OutboxFolder.Batch("2"), None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
