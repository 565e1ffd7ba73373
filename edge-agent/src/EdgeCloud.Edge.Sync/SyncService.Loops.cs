using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Edge.Sync;

/// <summary>The two halves of a session: sending batches and reading the hub's answers.</summary>
internal sealed partial class SyncService
{
    private async Task SendLoopAsync(IClientStreamWriter<AgentMessage> requests, SendWindow window, CancellationToken cancellationToken)
    {
        // Resume right after what the hub acknowledged: anything sent but unacknowledged in an
        // earlier session is sent again, and the hub skips what it already has.
        var sentUpTo = outbox.LastAcknowledgedSequence;
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
                var telemetry = TelemetryBatch.Parser.ParseFrom(stored.Payload);
                telemetry.Sequence = stored.Sequence;
                await requests.WriteAsync(new AgentMessage { Telemetry = telemetry }, cancellationToken);
                window.Sent(stored.Sequence);
                sentUpTo = stored.Sequence;
                status.AddSent(1);
            }
        }
    }

    private async Task ReceiveLoopAsync(IAsyncStreamReader<HubMessage> responses, SendWindow window, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken))
        {
            var message = responses.Current;
            switch (message.BodyCase)
            {
                case HubMessage.BodyOneofCase.Ack:
                    await outbox.AcknowledgeAsync(message.Ack.Sequence, cancellationToken);
                    window.Acknowledged(message.Ack.Sequence);
                    status.SetAcknowledged(outbox.LastAcknowledgedSequence);
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
}
