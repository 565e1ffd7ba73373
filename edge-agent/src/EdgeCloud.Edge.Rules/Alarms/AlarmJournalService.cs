using EdgeCloud.Edge.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// Persists the alarms and moves their events into the outbox, in that order: the journal file
/// (with the pending events) is written first, then each pending event is appended to the
/// outbox, then the events are dropped from the journal. A crash before the append re-sends
/// from the journal after restart; a crash after it may send an event twice, which the hub drops
/// by its event number. Nothing is lost either way.
/// </summary>
internal sealed partial class AlarmJournalService(
    AlarmManager alarms, AlarmJournalFile file, IOutbox outbox, TimeProvider time, ILogger<AlarmJournalService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await alarms.Dirty.WaitToReadAsync(stoppingToken))
            {
                alarms.Dirty.TryRead(out _);
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (IOException ex)
                {
                    // Disk full or gone: the events stay pending in memory; try again shortly.
                    LogFlushFailed(logger, file.Path, ex);
                    await Task.Delay(RetryDelay, time, stoppingToken);
                    alarms.MarkSent(0);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync flushes what is left.
        }
    }

    /// <summary>Writes the journal and sends its pending events until nothing is pending.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var state = alarms.Snapshot();
        file.Save(state);
        if (state.Pending.Count == 0)
        {
            return;
        }

        foreach (var record in state.Pending)
        {
            await outbox.AppendAsync(AlarmEventCodec.ToBatch(record, time.GetUtcNow()), cancellationToken);
        }

        alarms.MarkSent(state.Pending[^1].EventNumber);
        file.Save(alarms.Snapshot());
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The journal still holds the pending events: the next start sends them.
            LogFlushFailed(logger, file.Path, ex);
        }
    }

    [LoggerMessage(EventId = 6611, Level = LogLevel.Warning, Message = "Alarm journal {Path} could not be written or its events sent; they stay pending")]
    private static partial void LogFlushFailed(ILogger logger, string path, Exception error);
}
