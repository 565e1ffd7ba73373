using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Ingest.Security;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Ingest;

/// <summary>
/// The hub's end of an agent's sync stream. Hello first (refused when invalid), Welcome with the highest
/// stored sequence, then every batch is validated, stored durably and acknowledged in arrival order, each
/// Ack after that batch's own commit. Reading does not wait for commits: up to
/// <see cref="HubIngestOptions.MaxBatchesInFlight"/> batches of a stream are stored at once (sharing the
/// store's group commits) while live snapshots and health reports are handled as they come. Writes to the
/// response stream go through one serializing writer (IServerStreamWriter is not thread-safe): the
/// Welcome, the Acks, pushed directives, and at most one Refusal at the end.
/// </summary>
internal sealed partial class FleetSyncService(
    ITelemetryStore store,
    ConnectionRegistry registry,
    IAgentAuthenticator authenticator,
    IEnumerable<IAgentStreamObserver> observers,
    IEnumerable<IAlarmsStoredListener> alarmListeners,
    IngestMetrics metrics,
    Live.LatestValues latest,
    Live.AlarmEventFeed alarmFeed,
    IOptions<HubIngestOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<FleetSyncService> logger) : FleetSync.FleetSyncBase
{
    private static readonly string HubVersion = typeof(FleetSyncService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, ServerCallContext context)
    {
        var callAborted = context.CancellationToken;

        // A stream lives as long as the agent: without this, stopping the hub would wait for every open
        // stream until the host's shutdown timeout, then abort them without a word.
        using var session = CancellationTokenSource.CreateLinkedTokenSource(callAborted, lifetime.ApplicationStopping);
        try
        {
            var hello = await ReadHelloAsync(requestStream, context.Peer, session.Token);
            var identity = await authenticator.AuthenticateAsync(hello.AgentId, context.GetHttpContext().Connection.ClientCertificate, session.Token);
            if (!identity.Accepted)
            {
                throw Refuse(context.Peer, hello.AgentId, StatusCode.PermissionDenied, identity.Reason ?? "refused");
            }

            try
            {
                using var connection = registry.Open(hello.AgentId, hello.AgentVersion, context.Peer, session.Token);
                if (connection.ReplacedPeer is not null)
                {
                    LogReplaced(logger, hello.AgentId, context.Peer, connection.ReplacedPeer);
                }

                try
                {
                    await RunSessionAsync(hello, connection, requestStream, responseStream, callAborted);
                }
                finally
                {
                    await RecordLastSeenAsync(connection);
                }
            }
            finally
            {
                // After the registry dropped the stream: observers see whether a newer one took its place.
                await NotifyDisconnectedAsync(hello.AgentId);
            }
        }
        catch (SessionRefusedException refusal)
        {
            metrics.Refused(refusal.StatusCode);
            await TryWriteRefusalAsync(responseStream, refusal, callAborted);
            throw new RpcException(new Status(refusal.StatusCode, refusal.Message));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !callAborted.IsCancellationRequested)
        {
            var refusal = new SessionRefusedException(StatusCode.Unavailable, "the hub is shutting down; reconnect later", retryable: true);
            LogEndedForShutdown(logger, context.Peer);
            await TryWriteRefusalAsync(responseStream, refusal, callAborted);
            throw new RpcException(new Status(refusal.StatusCode, refusal.Message));
        }
        catch (Exception error) when (callAborted.IsCancellationRequested && error is not RpcException)
        {
            // The agent went away (reset, cancel, keepalive timeout): nothing to answer, nobody to tell.
            LogAborted(logger, context.Peer, error.GetBaseException().Message);
        }
    }

    private async Task<Hello> ReadHelloAsync(IAsyncStreamReader<AgentMessage> requests, string peer, CancellationToken cancellationToken)
    {
        var helloTimeout = options.Value.HelloTimeout;
        using var timeout = new CancellationTokenSource(helloTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        bool received;
        try
        {
            received = await requests.MoveNext(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Refuse(peer, null, StatusCode.FailedPrecondition, $"no Hello within {helloTimeout.TotalSeconds:0.#} s of opening the stream");
        }

        if (!received)
        {
            throw Refuse(peer, null, StatusCode.FailedPrecondition, "the stream ended before its Hello");
        }

        var first = requests.Current;
        if (first.BodyCase != AgentMessage.BodyOneofCase.Hello)
        {
            throw Refuse(peer, null, StatusCode.FailedPrecondition, $"the first message of a stream must be a Hello, not {first.BodyCase}");
        }

        var hello = first.Hello;
        if (string.IsNullOrEmpty(hello.AgentId))
        {
            throw Refuse(peer, null, StatusCode.InvalidArgument, "the Hello carries no agent id");
        }

        if (!NameRules.IsValidAgentId(hello.AgentId))
        {
            throw Refuse(peer, null, StatusCode.InvalidArgument, $"agent id '{NameRules.Excerpt(hello.AgentId)}' is invalid: it must be {NameRules.NameRuleText}");
        }

        if (hello.ProtocolVersion != SyncProtocol.Version)
        {
            throw Refuse(
                peer, hello.AgentId, StatusCode.FailedPrecondition,
                $"protocol version {hello.ProtocolVersion} is not served: this hub speaks version {SyncProtocol.Version}");
        }

        return hello;
    }

    private SessionRefusedException Refuse(string peer, string? agentId, StatusCode code, string reason)
    {
        LogHelloRefused(logger, peer, agentId ?? "(unknown)", code, reason);
        return new SessionRefusedException(code, reason, retryable: false);
    }

    private async Task TryWriteRefusalAsync(IServerStreamWriter<HubMessage> responses, SessionRefusedException refusal, CancellationToken callAborted)
    {
        try
        {
            await responses.WriteAsync(
                new HubMessage { Refusal = new Refusal { Reason = refusal.Message, Retryable = refusal.Retryable } }, callAborted);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The call is already gone; its status still carries the reason.
            LogRefusalNotSent(logger, error.Message);
        }
    }

    private async Task NotifyDisconnectedAsync(string agentId)
    {
        foreach (var observer in observers)
        {
            try
            {
                // Not the call's token: it is usually cancelled by now, and presence must still be cleared.
                await observer.OnDisconnectedAsync(agentId, CancellationToken.None);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                LogObserverFailed(logger, agentId, error.Message);
            }
        }
    }

    private async Task RecordLastSeenAsync(AgentConnection connection)
    {
        try
        {
            // Not the call's token: it is usually cancelled by now, and last-seen must still be kept.
            await store.TouchAgentAsync(connection.AgentId, null, connection.LastSeen, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogLastSeenNotStored(logger, connection.AgentId, error.Message);
        }
    }
}
