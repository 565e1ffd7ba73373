using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Hub.Ingest;

/// <summary>The accepted part of a stream: Welcome, then batches in, acknowledgements out, in order, each after its own commit.</summary>
internal sealed partial class FleetSyncService
{
    private async Task RunSessionAsync(
        Hello hello,
        AgentConnection connection,
        IAsyncStreamReader<AgentMessage> requests,
        IServerStreamWriter<HubMessage> responses,
        CancellationToken callAborted)
    {
        var agentId = hello.AgentId;
        var token = connection.Token;
        using var writer = new SerializedResponseWriter(responses);
        responses = writer;
        using var pushing = CancellationTokenSource.CreateLinkedTokenSource(token);
        var push = PushAsync(connection, writer, pushing.Token);
        try
        {
            await store.TouchAgentAsync(agentId, hello.AgentVersion, connection.ConnectedAt, token);
            var highest = await store.GetHighestSequenceAsync(agentId, token);
            var epoch = await store.GetOutboxEpochAsync(agentId, token);
            LogConnected(logger, agentId, hello.AgentVersion, connection.Peer, hello.LastAckedSequence, hello.LastDurableSequence, highest);
            await responses.WriteAsync(
                new HubMessage { Welcome = new Welcome { HubVersion = HubVersion, ProtocolVersion = SyncProtocol.Version, HighestDurableSequence = highest, OutboxEpoch = epoch, MaxMessageBytes = (uint)options.Value.MaxReceiveMessageBytes } },
                token);
            foreach (var observer in observers)
            {
                await observer.OnConnectedAsync(agentId, hello, token);
            }

            using var pipeline = new StreamPipeline(options.Value.MaxBatchesInFlight, batch => AcknowledgeAsync(connection, batch, responses));
            try
            {
                await ReadLoopAsync(hello, connection, requests, pipeline);
            }
            finally
            {
                // Nothing of this stream's store work outlives it (its results are observed, not acknowledged).
                await pipeline.AbandonAsync();
            }

            LogDisconnected(logger, agentId, connection.Peer);
        }
        catch (OperationCanceledException) when (connection.Refusal is { } reason && !callAborted.IsCancellationRequested)
        {
            throw new SessionRefusedException(StatusCode.PermissionDenied, reason, retryable: false);
        }
        catch (OperationCanceledException) when (connection.IsSuperseded && !callAborted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new SessionRefusedException(StatusCode.Aborted, "a newer stream of this agent id replaced this one", retryable: true);
        }
        finally
        {
            await pushing.CancelAsync();
            await push;
        }
    }

    /// <summary>
    /// Reads the stream until the agent ends it or a batch fails. Telemetry goes into the pipeline (its
    /// commit and Ack follow in order, while reading goes on); every other message is handled at once, so
    /// a live snapshot never waits behind batches.
    /// </summary>
    private async Task ReadLoopAsync(
        Hello hello, AgentConnection connection, IAsyncStreamReader<AgentMessage> requests, StreamPipeline pipeline)
    {
        var agentId = hello.AgentId;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, pipeline.Failed);
        try
        {
            while (await requests.MoveNext(reading.Token))
            {
                connection.Touch(time.GetUtcNow());
                var message = requests.Current;
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Telemetry:
                        await AcceptBatchAsync(connection, hello.OutboxEpoch, message.Telemetry, pipeline, reading.Token);
                        break;
                    case AgentMessage.BodyOneofCase.Live:
                        // The live lane: newest values while the backlog drains; not stored.
                        // A snapshot with a malformed tag is dropped whole and said (it is not
                        // durable data: the same points arrive, validated, with the backlog).
                        if (message.Live.Points.FirstOrDefault(p => !NameRules.IsValidTag(p.Tag)) is { } bad)
                        {
                            LogLiveSnapshotRefused(logger, agentId, NameRules.Excerpt(bad.Tag));
                        }
                        else
                        {
                            latest.ApplyLive(agentId, message.Live.Points);
                        }

                        break;
                    case AgentMessage.BodyOneofCase.Health:
                        // Kept in memory only: the latest report is what the API shows.
                        connection.Health = message.Health;
                        break;
                    case AgentMessage.BodyOneofCase.Hello:
                        LogRepeatedHello(logger, agentId);
                        break;
                    case AgentMessage.BodyOneofCase.CommandResult or AgentMessage.BodyOneofCase.ConfigReport or AgentMessage.BodyOneofCase.RolloutProgress:
                        foreach (var observer in observers)
                        {
                            await observer.OnMessageAsync(agentId, message, connection.Token);
                        }

                        break;
                    default:
                        // Cases this hub does not handle yet, or unknown to it (a newer agent): ignored by contract.
                        LogIgnored(logger, agentId, message.BodyCase);
                        break;
                }
            }

            // The agent ended its stream: what it sent is still acknowledged.
            await pipeline.CompleteAsync();
        }
        catch (OperationCanceledException) when (pipeline.Fault is not null && !connection.Token.IsCancellationRequested)
        {
            // A batch failed: its failure, not the cancelled read, ends the stream.
            await pipeline.CompleteAsync();
            throw;
        }
    }

    /// <summary>Writes what <see cref="IAgentSessions.TrySend"/> queued for this stream, in order, until the session ends.</summary>
    private static async Task PushAsync(AgentConnection connection, SerializedResponseWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in connection.Outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The session ended: what was not written is delivered again at the next connect by its owner.
        }
    }

    /// <summary>
    /// Validates a batch and starts storing it without waiting for the commits before it. A store that
    /// keeps the order of its calls (<see cref="ITelemetryStore.PreservesCallOrder"/>) gets the call at
    /// once, so the batches of one stream share its group commits; otherwise, and for a batch carrying
    /// compacted entries (several calls), the work waits for the batch before it, so the store sees this
    /// agent's sequences in arrival order either way.
    /// </summary>
    private async Task AcceptBatchAsync(AgentConnection connection, string outboxEpoch, TelemetryBatch batch, StreamPipeline pipeline, CancellationToken cancellationToken)
    {
        var violation = TelemetryBatchRules.FindViolation(batch);
        if (violation is not null)
        {
            // What came before it is still acknowledged; then the stream ends. The agent resends this
            // same batch after every reconnect: the log must make the cause obvious.
            await pipeline.CompleteAsync();
            LogBatchRefused(logger, connection.AgentId, batch.Sequence, violation);
            throw new SessionRefusedException(StatusCode.InvalidArgument, $"invalid telemetry batch: {violation}", retryable: false);
        }

        Task<StoredPart[]> stored;
        if (store.PreservesCallOrder && batch.Compacted.Count == 0 && pipeline.Tail.IsCompleted)
        {
            stored = StoreCarrierAsync(connection, outboxEpoch, batch);
        }
        else
        {
            stored = StoreAfterAsync(pipeline.Tail, connection, outboxEpoch, batch);
            pipeline.Tail = stored;
        }

        await pipeline.AddAsync(new InFlightBatch(batch.Sequence, stored), cancellationToken);
    }

    /// <summary>Stores a batch without compacted entries; the store call is made before the first await.</summary>
    private async Task<StoredPart[]> StoreCarrierAsync(AgentConnection connection, string outboxEpoch, TelemetryBatch batch) =>
        [new StoredPart(batch, await StoreAsync(connection, outboxEpoch, batch))];

    /// <summary>Stores a batch once <paramref name="previous"/> is stored; a failure of the previous one is this one's too, and stores nothing.</summary>
    private async Task<StoredPart[]> StoreAfterAsync(Task previous, AgentConnection connection, string outboxEpoch, TelemetryBatch batch)
    {
        await previous;

        // Compacted entries first, each under its own sequence (exactly once, and it fills the gap its
        // removal opened), then the carrier: it is acknowledged only once every entry is stored, and
        // if the stream breaks in between, the resent carrier finds the stored entries as duplicates.
        var parts = new List<StoredPart>(batch.Compacted.Count + 1);
        foreach (var entry in batch.Compacted)
        {
            parts.Add(new StoredPart(entry, await StoreAsync(connection, outboxEpoch, entry)));
        }

        var carrier = batch.Compacted.Count > 0 ? batch.Clone() : batch;
        carrier.Compacted.Clear();
        parts.Add(new StoredPart(carrier, await StoreAsync(connection, outboxEpoch, carrier)));
        return [.. parts];
    }

    /// <summary>After a batch's commit, in arrival order: the logs, metrics and live values of its parts, then its Ack.</summary>
    private async Task AcknowledgeAsync(AgentConnection connection, InFlightBatch batch, IServerStreamWriter<HubMessage> responses)
    {
        foreach (var part in await batch.Stored)
        {
            AfterStored(connection.AgentId, part.Batch, part.Result);
        }

        // Only after the commit: the agent deletes what this acknowledges.
        await responses.WriteAsync(new HubMessage { Ack = new Ack { Sequence = batch.Sequence } }, connection.Token);
    }

    private async Task<IngestResult> StoreAsync(AgentConnection connection, string outboxEpoch, TelemetryBatch batch)
    {
        try
        {
            var started = time.GetTimestamp();
            var result = await store.IngestAsync(connection.AgentId, outboxEpoch, batch, time.GetUtcNow(), connection.Token);
            metrics.Stored(time.GetElapsedTime(started), time.GetUtcNow(), batch.SealedUnixNano, batch.ClockSynchronized);
            return result;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogStoreFailed(logger, error, connection.AgentId, batch.Sequence);
            throw new SessionRefusedException(StatusCode.Unavailable, $"the hub could not store batch {batch.Sequence}; retry later", retryable: true);
        }
    }

    private void AfterStored(string agentId, TelemetryBatch batch, IngestResult result)
    {
        Report(agentId, batch, result);
        if (result.Outcome != IngestOutcome.Duplicate)
        {
            latest.ApplyStored(agentId, batch.Points);
            if (batch.Alarms.Count > 0)
            {
                alarmFeed.Publish([.. batch.Alarms.Select(a => new StoredAlarmEvent(agentId, batch.Sequence, a))]);
                foreach (var listener in alarmListeners)
                {
                    listener.OnAlarmsStored(agentId);
                }
            }
        }
    }

    private void Report(string agentId, TelemetryBatch batch, IngestResult result)
    {
        if (result.Outcome == IngestOutcome.Duplicate)
        {
            metrics.BatchDuplicate();
            LogDuplicate(logger, agentId, batch.Sequence);
            return;
        }

        metrics.BatchStored(batch.Points.Count);
        if (result.GapFrom is { } from && result.GapTo is { } to)
        {
            metrics.GapDetected();
            LogGap(logger, agentId, from, to, batch.Sequence);
        }

        if (result.FilledGap)
        {
            LogGapFilled(logger, agentId, batch.Sequence);
        }

        if (batch.DroppedPointsBefore > 0)
        {
            LogDroppedPoints(logger, agentId, batch.DroppedPointsBefore, batch.Sequence);
        }

        if (batch.CompactedPoints > 0)
        {
            LogCompactedPoints(logger, agentId, batch.CompactedPoints, batch.Rollups.Count, batch.Sequence);
        }
    }
}
