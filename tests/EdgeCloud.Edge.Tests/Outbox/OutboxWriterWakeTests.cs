using System.Collections.Concurrent;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// The writer thread sleeps on a monitor and is woken only when it said it sleeps
/// (LiteDbOutbox.Wake.cs). The writer here sleeps without its housekeeping timeout, so a lost
/// wake-up shows as an append or acknowledgement that never completes: every wait has a deadline
/// whose message says so.
/// </summary>
public sealed class OutboxWriterWakeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AppendAndAcknowledge_ManyThreadsWithRandomPauses_EveryAppendCompletesAndIsReadable()
    {
        using var folder = new OutboxFolder();
        // A tiny command queue (callers wait on a full channel) and a small tail, so that
        // acknowledgements also go through the writer thread when LiteDB holds a backlog.
        folder.Options.CommandQueueCapacity = 2;
        folder.Options.MemoryTailBytes = 8 * 1024;
        folder.Options.MaxGroupBatches = 4;
        using var outbox = folder.Open();
        outbox.SleepsUntilWoken = true;

        const int Appenders = 4;
        const int PerAppender = 250;
        var appended = new ConcurrentDictionary<ulong, string>();
        var readBeforeAck = new ConcurrentDictionary<ulong, string>();
        using var stop = new CancellationTokenSource();

        var appenders = Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
        {
            var random = new Random(1000 + a);
            for (var i = 0; i < PerAppender; i++)
            {
                var text = $"a{a}-{i}-" + new string('x', random.Next(10, 2000));
                var sequence = await Within(outbox.AppendAsync(OutboxFolder.Batch(text), CancellationToken.None).AsTask(), $"append {i} of appender {a}");
                Assert.True(appended.TryAdd(sequence, text), $"sequence {sequence} was given twice");
                await Pause(random);
            }
        })).ToList();

        // The hub's side: reads what is there, acknowledges it, with pauses of its own, so that
        // the writer goes to sleep and is woken in every phase.
        var acker = Task.Run(async () =>
        {
            var random = new Random(77);
            while (!stop.IsCancellationRequested)
            {
                var read = await Within(outbox.ReadAsync(outbox.LastAcknowledgedSequence, 32, CancellationToken.None).AsTask(), "a read");
                foreach (var batch in read)
                {
                    readBeforeAck[batch.Sequence] = OutboxFolder.Text(batch);
                }

                if (read.Count > 0 && random.Next(3) > 0)
                {
                    await Within(outbox.AcknowledgeAsync(read[random.Next(read.Count)].Sequence, CancellationToken.None).AsTask(), "an acknowledgement");
                }

                await Pause(random);
            }
        });

        await Task.WhenAll(appenders);
        await stop.CancelAsync();
        await acker;

        Assert.Equal(Appenders * PerAppender, appended.Count);
        var acknowledged = outbox.LastAcknowledgedSequence;
        var rest = await Within(outbox.ReadAsync(acknowledged, int.MaxValue, CancellationToken.None).AsTask(), "the final read");
        foreach (var (sequence, text) in appended)
        {
            if (sequence <= acknowledged)
            {
                Assert.True(readBeforeAck.TryGetValue(sequence, out var seen) && seen == text, $"acknowledged sequence {sequence} was never read with its payload");
            }
        }

        Assert.Equal(
            appended.Where(p => p.Key > acknowledged).OrderBy(p => p.Key).Select(p => p.Value),
            rest.Select(OutboxFolder.Text));
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileTheQueueIsFull_LaterAppendsStillComplete()
    {
        using var folder = new OutboxFolder();
        folder.Options.CommandQueueCapacity = 1;
        using var outbox = folder.Open();
        outbox.SleepsUntilWoken = true;

        // Many callers at once against a one-slot queue, half of them giving up almost at once:
        // a cancelled write queues nothing, a written one completes, and the writer never sleeps
        // through a command.
        using var cancel = new CancellationTokenSource();
        var attempts = Enumerable.Range(0, 200).Select(i => outbox.AppendAsync(OutboxFolder.Batch($"c{i}"), i % 2 == 0 ? cancel.Token : CancellationToken.None).AsTask()).ToList();
        await cancel.CancelAsync();
        var outcomes = await Task.WhenAll(attempts.Select(t => Within(t.ContinueWith(_ => t, TaskScheduler.Default), "an append racing a cancellation")));
        Assert.All(outcomes.Where((_, i) => i % 2 == 1), t => Assert.True(t.IsCompletedSuccessfully, $"an uncancelled append failed: {t.Exception}"));

        var last = await Within(outbox.AppendAsync(OutboxFolder.Batch("after"), CancellationToken.None).AsTask(), "the append after the cancellations");
        var stored = await outbox.ReadAsync(0, int.MaxValue, CancellationToken.None);
        Assert.Equal("after", OutboxFolder.Text(stored[^1]));
        Assert.Equal(last, stored[^1].Sequence);
        Assert.Equal(stored.Count, stored.Select(OutboxFolder.Text).Distinct().Count());
    }

    [Fact]
    public async Task Dispose_WriterAsleepWithNothingToDo_ReturnsAtOnce()
    {
        using var folder = new OutboxFolder();
        var outbox = folder.Open();
        outbox.SleepsUntilWoken = true;
        var sequence = await outbox.AppendAsync(OutboxFolder.Batch("one"), CancellationToken.None);
        await outbox.AcknowledgeAsync(sequence, CancellationToken.None);

        await Within(Task.Run(outbox.Dispose), "Dispose (the closed channel must wake the writer)");
    }

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not complete within {Deadline.TotalSeconds} s: the writer thread missed a wake-up");
            throw;
        }
    }

    private static async Task Within(Task task, string what) =>
        await Within(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), what);

    private static Task Pause(Random random) => random.Next(4) switch
    {
        0 => Task.CompletedTask,
        1 => YieldOnce(),
        2 => Task.Delay(random.Next(1, 3)),
        _ => Task.Run(() => Thread.SpinWait(random.Next(10, 5000))),
    };

    private static async Task YieldOnce() => await Task.Yield();
}
