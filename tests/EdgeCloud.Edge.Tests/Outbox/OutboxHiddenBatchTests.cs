using EdgeCloud.Edge.Outbox.Store;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// The store state a power loss can leave and a scan does not survive: LiteDB's skip list reaches a
/// batch through an upper level while the level-0 chain every range read walks ends before it.
/// Built deterministically from two real states of the store's file: the page holding the newest
/// acknowledged-but-one batch's index node is taken from the older state (LiteDB never syncs its
/// file, so after a power loss any page may be older than the others), every other page from the
/// newer one. <see cref="OutboxPowerLossTests"/> met this state by chance, about once in 90 runs.
/// </summary>
public sealed class OutboxHiddenBatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Open_StoreIndexFindsBatchesItsScanMisses_SetsTheStoreAsideAndEveryBatchIsReadOnce()
    {
        using var folder = new OutboxFolder();
        const int Newer = 60;

        // 1. A backlog long enough to fill the collection's first index page (it holds the skip
        // list's head and tail, and ~135 nodes) and go on in a second one, ending on a batch whose
        // node has a single level (LiteDB draws levels at random: append until one has).
        ulong last = 0;
        using (var outbox = folder.Open())
        {
            for (var i = 0; i < 200; i++)
            {
                last = await outbox.AppendAsync(OutboxFolder.Batch(Payload(i + 1)), None);
            }
        }

        for (var tries = 0; !NewestNodeIsAlone(folder); tries++)
        {
            Assert.True(tries < 40, "40 batches in a row got index nodes of several levels or in the head's page");
            using var outbox = folder.Open();
            last = await outbox.AppendAsync(OutboxFolder.Batch(Payload((int)last + 1)), None);
        }

        // 2. The hub acknowledges all but that batch: the first index page empties and goes back
        // to the head of the free list, so the next nodes are written there, not beside it.
        using (var outbox = folder.Open())
        {
            await outbox.AcknowledgeAsync(last - 1, None);
        }

        var older = await ReadStoreAsync(folder);
        var survivor = Assert.Single(new LiteDbPages(older).Int64Index().Nodes);
        Assert.Equal((long)last, survivor.Key);

        // 3. More batches: their nodes link in after the survivor (its level-0 pointer) and, for
        // those with upper levels, after the head (which sits in another page).
        using (var outbox = folder.Open())
        {
            for (var i = 1; i <= Newer; i++)
            {
                Assert.Equal(last + (ulong)i, await outbox.AppendAsync(OutboxFolder.Batch(Payload((int)last + i)), None));
            }
        }

        var newer = await ReadStoreAsync(folder);
        var added = new LiteDbPages(newer).Int64Index().Nodes.Where(n => n.Key > (long)last).ToList();
        Assert.Equal(Newer, added.Count);
        Assert.DoesNotContain(added, n => n.Page == survivor.Page);
        Assert.Contains(added, n => n.Levels > 1);

        // 4. The power-loss state: the survivor's page as it was before the new batches.
        Array.Copy(older, survivor.Page * LiteDbPages.PageSize, newer, survivor.Page * LiteDbPages.PageSize, LiteDbPages.PageSize);
        await File.WriteAllBytesAsync(folder.DatabasePath, newer);
        var (found, listed) = ProbeWithLiteDb(newer, last);
        Assert.Equal([(long)last], listed);
        Assert.Contains((long)last + Newer, found);

        // 5. Recovery: the store is set aside and rebuilt from the journal; every batch the hub has
        // not acknowledged is read once, under its own sequence, with its own payload.
        var log = new EventLog();
        using (var reopened = new LiteDbOutbox(folder.Options, TimeProvider.System, log))
        {
            Assert.Equal(1, reopened.StoreSetAsides);
            Assert.Contains(log.Errors, e => e.Contains("a scan of the store misses journaled batches", StringComparison.Ordinal));
            Assert.Single(Directory.GetFiles(folder.Options.Directory, SetAsideStore.Prefix + "*"), f => !f.EndsWith("-log", StringComparison.Ordinal));

            var read = await reopened.ReadAsync(last - 1, int.MaxValue, None);
            Assert.Equal(Enumerable.Range((int)last, Newer + 1).Select(s => (ulong)s), read.Select(b => b.Sequence));
            Assert.All(read, b => Assert.Equal(Payload((int)b.Sequence), OutboxFolder.Text(b)));
            Assert.Equal(last + Newer, reopened.LastDurableSequence);
        }

        // ... and the rebuilt store is whole: a second opening sets nothing aside.
        using var again = folder.Open();
        Assert.Equal(0, again.StoreSetAsides);
        Assert.Equal(Newer + 1, (await again.ReadAsync(last - 1, int.MaxValue, None)).Count);
    }

    private static string Payload(int sequence) => $"batch {sequence}";

    /// <summary>The newest batch's index node has one level and lies outside the page of the list's head.</summary>
    private static bool NewestNodeIsAlone(OutboxFolder folder)
    {
        var (nodes, head) = new LiteDbPages(File.ReadAllBytes(folder.DatabasePath)).Int64Index();
        var newest = nodes.MaxBy(n => n.Key)!;
        return newest.Levels == 1 && newest.Page != head.Page;
    }

    /// <summary>The store's data file once the outbox closed (LiteDB checkpoints its log into it then).</summary>
    private static async Task<byte[]> ReadStoreAsync(OutboxFolder folder)
    {
        var log = Path.Combine(folder.Options.Directory, "outbox-log.db");
        Assert.True(!File.Exists(log) || new FileInfo(log).Length == 0, "LiteDB's log still holds pages after closing");
        return await File.ReadAllBytesAsync(folder.DatabasePath);
    }

    /// <summary>
    /// What plain LiteDB makes of a copy of <paramref name="file"/>: the sequences above the
    /// acknowledged mark it finds by id, and those a range read (the outbox's scan) lists.
    /// </summary>
    private static (List<long> Found, List<long> Listed) ProbeWithLiteDb(byte[] file, ulong last)
    {
        var dir = Directory.CreateTempSubdirectory("edge-litedb-probe-");
        try
        {
            var path = Path.Combine(dir.FullName, "probe.db");
            File.WriteAllBytes(path, file);
            using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
            var batches = db.GetCollection("batches");
            var found = Enumerable.Range(0, 200).Select(i => (long)last + i).Where(s => batches.FindById(s) is not null).ToList();
            var listed = batches.Find(SequenceQuery.Above((long)last - 1)).Select(d => d["_id"].AsInt64).ToList();
            return (found, listed);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Keeps the messages (with their exceptions') of errors the outbox logs.</summary>
    private sealed class EventLog : ILogger<LiteDbOutbox>
    {
        public List<string> Errors { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (Errors)
                {
                    Errors.Add($"{eventId.Id} {formatter(state, exception)}: {exception?.Message}");
                }
            }
        }
    }
}
