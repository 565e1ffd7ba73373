using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Hub.Ingest;

/// <summary>The accepted part of a stream: Welcome, then batches in, acknowledgements out.</summary>
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
                new HubMessage { Welcome = new Welcome { HubVersion = HubVersion, ProtocolVersion = SyncProtocol.Version, HighestDurableSequence = highest, OutboxEpoch = epoch } },
                token);
            foreach (var observer in observers)
            {
                await observer.OnConnectedAsync(agentId, hello, token);
            }

            while (await requests.MoveNext(token))
            {
                connection.Touch(time.GetUtcNow());
                var message = requests.Current;
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Telemetry:
                        await IngestAsync(connection, hello.OutboxEpoch, message.Telemetry, responses);
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
                            await observer.OnMessageAsync(agentId, message, token);
                        }

                        break;
                    default:
                        // Cases this hub does not handle yet, or unknown to it (a newer agent): ignored by contract.
                        LogIgnored(logger, agentId, message.BodyCase);
                        break;
                }
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

    private async Task IngestAsync(AgentConnection connection, string outboxEpoch, TelemetryBatch batch, IServerStreamWriter<HubMessage> responses)
    {
        var agentId = connection.AgentId;
        var violation = TelemetryBatchRules.FindViolation(batch);
        if (violation is not null)
        {
            // The agent resends this same batch after every reconnect: the log must make the cause obvious.
            LogBatchRefused(logger, agentId, batch.Sequence, violation);
            throw new SessionRefusedException(StatusCode.InvalidArgument, $"invalid telemetry batch: {violation}", retryable: false);
        }

        // Compacted entries first, each under its own sequence (exactly once, and it fills the gap its
        // removal opened), then the carrier: it is acknowledged only once every entry is stored, and
        // if the stream breaks in between, the resent carrier finds the stored entries as duplicates.
        foreach (var entry in batch.Compacted)
        {
            await StoreAsync(connection, outboxEpoch, entry);
        }

        var carrier = batch.Compacted.Count > 0 ? batch.Clone() : batch;
        carrier.Compacted.Clear();
        await StoreAsync(connection, outboxEpoch, carrier);

        // Only after the commit: the agent deletes what this acknowledges.
        await responses.WriteAsync(new HubMessage { Ack = new Ack { Sequence = batch.Sequence } }, connection.Token);
    }

    private async Task StoreAsync(AgentConnection connection, string outboxEpoch, TelemetryBatch batch)
    {
        var agentId = connection.AgentId;
        IngestResult result;
        try
        {
            var started = time.GetTimestamp();
            result = await store.IngestAsync(agentId, outboxEpoch, batch, time.GetUtcNow(), connection.Token);
            metrics.Stored(time.GetElapsedTime(started), time.GetUtcNow(), batch.SealedUnixNano, batch.ClockSynchronized);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogStoreFailed(logger, error, agentId, batch.Sequence);
            throw new SessionRefusedException(StatusCode.Unavailable, $"the hub could not store batch {batch.Sequence}; retry later", retryable: true);
        }

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
