using System.Threading.Channels;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Edge.Sync;

/// <summary>The two halves of a session: sending batches and reading the hub's answers.</summary>
internal sealed partial class SyncService
{
    private async Task SendLoopAsync(SessionWriter requests, SendWindow window, int hubLimit, CancellationToken cancellationToken)
    {
        // Resume right after what the hub acknowledged: anything sent but unacknowledged in an
        // earlier session is sent again, and the hub skips what it already has.
        var sentUpTo = outbox.LastAcknowledgedSequence;
        var pacer = config.Hub.BacklogBytesPerSecond > 0 ? new BacklogPacer(config.Hub.BacklogBytesPerSecond, time) : null;
        while (!cancellationToken.IsCancellationRequested)
        {
            await outbox.WaitForSequenceAsync(sentUpTo + 1, cancellationToken);
            var batches = await outbox.ReadAsync(sentUpTo, config.Hub.MaxBatchesInFlight, cancellationToken);
            if (batches.Count == 0)
            {
                // Deleted meanwhile (acknowledged through a Welcome): continue after the ack mark.
                sentUpTo = Math.Max(sentUpTo, outbox.LastAcknowledgedSequence);
                continue;
            }

            foreach (var stored in batches)
            {
                await window.TakeAsync(cancellationToken);

                // Catching up (the live lane's condition): the backlog keeps to its share of the uplink.
                if (pacer is not null && outbox.LastDurableSequence - outbox.LastAcknowledgedSequence > (ulong)config.Hub.MaxBatchesInFlight)
                {
                    await pacer.TakeAsync(stored.Payload.Length, cancellationToken);
                }

                var frame = SyncFrame.Batch(stored.Sequence, stored.Payload, (ulong)stored.DroppedPointsBefore);
                var bytes = frame.Length;
                if (bytes > hubLimit)
                {
                    // The hub would end the stream on it (RESOURCE_EXHAUSTED) after reading the whole message.
                    throw BatchTooLarge(stored.Sequence, bytes, hubLimit);
                }

                if (bytes > _largestSent.Bytes)
                {
                    _largestSent = (stored.Sequence, bytes);
                }

                await requests.WriteAsync(frame, cancellationToken);
                window.Sent(stored.Sequence);
                sentUpTo = stored.Sequence;
                status.AddSent(1);
            }
        }
    }

    private async Task ReceiveLoopAsync(
        IAsyncStreamReader<HubMessage> responses, SendWindow window, ChannelWriter<HubMessage> directives, SessionWriter writer, CancellationToken cancellationToken)
    {
        // Deletions posted and not finished yet, oldest first. Acks are cumulative and the outbox's writer
        // merges the ones waiting into one LiteDB transaction, so a burst of acks (a pipelined hub answers
        // a whole group commit at once) costs one deletion instead of one each; the window's slots are
        // free as soon as the hub has the batches, while the deletion runs.
        var deleting = new Queue<Task>();
        while (await responses.MoveNext(cancellationToken))
        {
            var message = responses.Current;
            switch (message.BodyCase)
            {
                case HubMessage.BodyOneofCase.Ack:
                    deleting.Enqueue(outbox.AcknowledgeAsync(message.Ack.Sequence, cancellationToken).AsTask());
                    window.Acknowledged(message.Ack.Sequence);
                    while (deleting.TryPeek(out var oldest) && (oldest.IsCompleted || deleting.Count > config.Hub.MaxBatchesInFlight))
                    {
                        // A failed deletion ends the session here, as it did when each one was awaited.
                        await deleting.Dequeue();
                    }

                    status.SetAcknowledged(outbox.LastAcknowledgedSequence);
                    break;
                case HubMessage.BodyOneofCase.Command or HubMessage.BodyOneofCase.DesiredConfig or HubMessage.BodyOneofCase.Rollout:
                    // Carried out on the session's directive loop: acknowledgements must not wait for a device.
                    if (!directives.TryWrite(message) && message.BodyCase == HubMessage.BodyOneofCase.Command)
                    {
                        await writer.WriteAsync(HubDirectives.Busy(message.Command), cancellationToken);
                    }

                    break;
                case HubMessage.BodyOneofCase.Refusal:
                    throw new HubSessionException($"hub refused: {message.Refusal.Reason}", message.Refusal.Retryable);
                default:
                    // Commands, config and rollouts arrive with later issues; an older agent ignores them.
                    LogIgnored(logger, message.BodyCase.ToString());
                    break;
            }
        }

        throw new HubSessionException("hub closed the stream");
    }

    /// <summary>
    /// Reports outbox depth and backfill progress at once and then every <see cref="HealthInterval"/>:
    /// the backlog is what is durable and not yet acknowledged, and its ETA follows from the
    /// acknowledgement rate of this session (0 while unknown).
    /// </summary>
    private async Task HealthLoopAsync(SessionWriter requests, DateTimeOffset sessionStart, ulong ackedAtStart, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var stats = outbox.GetStats();
            var backlog = outbox.LastDurableSequence - outbox.LastAcknowledgedSequence;
            var elapsed = (time.GetUtcNow() - sessionStart).TotalSeconds;
            var rate = elapsed > 0 ? (outbox.LastAcknowledgedSequence - ackedAtStart) / elapsed : 0;
            var eta = rate > 0 ? Math.Min(backlog / rate, uint.MaxValue) : 0;
            await requests.WriteAsync(new AgentMessage
            {
                Health = new AgentHealth
                {
                    TimeUnixNano = (ulong)((time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100),
                    OutboxBatches = (ulong)Math.Max(0, stats.Batches),
                    OutboxBytes = (ulong)Math.Max(0, stats.JournalBytes + stats.StoreBytes),
                    BacklogBatches = backlog,
                    BacklogEtaSeconds = (uint)Math.Ceiling(eta),
                    ClockSynchronized = clock.IsSynchronized,
                    PointsProduced = counters.PointsProduced,
                    PollErrors = counters.PollErrors,
                    InferenceErrors = counters.InferenceErrors,
                },
            }, cancellationToken);
            await Task.Delay(HealthInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the rollout reports waiting (<see cref="RolloutReports"/>) and then each new one as it comes; a
    /// report leaves the queue only once written, so one published while the link was down goes on the next session.
    /// </summary>
    private async Task RolloutLoopAsync(SessionWriter requests, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = rollouts.WaitAsync(cancellationToken);
            foreach (var progress in rollouts.Pending())
            {
                await requests.WriteAsync(new AgentMessage { RolloutProgress = progress }, cancellationToken);
                rollouts.Sent(progress);
            }

            await changed;
        }
    }

    /// <summary>
    /// The live lane: while more than one send window of batches waits (a backlog draining after
    /// an outage), sends the newest value of each changed tag at once and then every
    /// <see cref="LiveInterval"/>, at most <see cref="MaxLivePoints"/> per snapshot, beside the
    /// in-order backlog. With no backlog the durable stream is live already and nothing extra goes.
    /// </summary>
    private async Task LiveLoopAsync(SessionWriter requests, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var backlog = outbox.LastDurableSequence - outbox.LastAcknowledgedSequence;
            if (backlog > (ulong)config.Hub.MaxBatchesInFlight)
            {
                var points = live.Take(MaxLivePoints);
                if (points.Count > 0)
                {
                    var snapshot = new LiveSnapshot { BacklogBatches = backlog };
                    foreach (var point in points)
                    {
                        snapshot.Points.Add(BatchEncoder.ToWire(point));
                    }

                    await requests.WriteAsync(new AgentMessage { Live = snapshot }, cancellationToken);
                    status.AddLive(points.Count);
                }
            }
            else
            {
                // Drop what waited: the durable stream carries the present now.
                live.Clear();
            }

            await Task.Delay(LiveInterval, time, cancellationToken);
        }
    }
}
