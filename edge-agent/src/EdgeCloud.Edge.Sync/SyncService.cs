using System.Threading.Channels;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Edge.Time;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// Keeps one bidirectional gRPC stream to the hub and feeds it from the outbox. A session starts
/// with Hello/Welcome, then sends durable batches in sequence order with at most
/// <see cref="HubLinkConfig.MaxBatchesInFlight"/> unacknowledged, and deletes from the outbox
/// only what the hub acknowledged. Reconnects use exponential backoff with full jitter (Polly),
/// so that a fleet coming back after a hub outage does not stampede; a session that lived long
/// enough resets the backoff.
/// </summary>
internal sealed partial class SyncService(
    IOutbox outbox,
    AgentConfig config,
    SyncStatus status,
    IClockStatus clock,
    LiveValues live,
    AgentIdentity identity,
    HubDirectives directives,
    RolloutReports rollouts,
    IAgentHealthCounters counters,
    IRunningVersion running,
    TimeProvider time,
    ILogger<SyncService> logger) : BackgroundService
{
    /// <summary>A session that lasted this long counts as healthy: the next reconnect starts with a short delay.</summary>
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan WelcomeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How often the live lane sends a snapshot while a backlog drains.</summary>
    internal static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    /// <summary>Points per live snapshot at most: the lane's share of the link stays small.</summary>
    internal const int MaxLivePoints = 5_000;

    /// <summary>How often the agent reports its health and backfill progress on an open session.</summary>
    internal static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(10);

    /// <summary>Asks Grpc.Net.Client to gzip every message the agent writes on the call (the hub accepts gzip by default).</summary>
    private static readonly Metadata GzipRequests = new() { { "grpc-internal-encoding-request", "gzip" } };

    /// <summary>
    /// FleetSync.Connect with the agent's own request marshaller (<see cref="SyncFrame"/>): the same
    /// service, method and wire format as the generated client, without re-encoding stored batches.
    /// </summary>
    private static readonly Method<SyncFrame, HubMessage> ConnectMethod = new(
        MethodType.DuplexStreaming,
        FleetSync.Descriptor.FullName,
        "Connect",
        SyncFrame.Marshaller,
        Marshallers.Create<HubMessage>(m => m.ToByteArray(), HubMessage.Parser.ParseFrom));

    /// <summary>The receive limit of a hub whose Welcome does not say its own: gRPC's default.</summary>
    internal const int DefaultHubMessageBytes = 4 * 1024 * 1024;

    private string? _lastFailure;

    // The largest batch frame written in the current session, to name it when the hub says one was too large.
    private (ulong Sequence, int Bytes) _largestSent;
    private ulong _tooLargeLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var channel = CreateChannel();
        var client = channel.CreateCallInvoker();
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Every failure is retried until the agent stops: the hub coming back is the only cure.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !stoppingToken.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = config.Hub.MaxBackoff,
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is HubSessionException { Retryable: false } ? config.Hub.MaxBackoff : null),
                OnRetry = args =>
                {
                    NoteFailure(args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await retry.ExecuteAsync(async ct => await RunSessionAsync(client, ct), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stoppingToken.IsCancellationRequested)
            {
                // The call was cancelled because the agent stops (gRPC reports it as its own status).
                break;
            }
        }

        status.SetDisconnected(time.GetUtcNow(), "agent stopping");
    }

    private GrpcChannel CreateChannel() => GrpcChannel.ForAddress(config.Hub.Url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // HTTP/2 PINGs detect a link that died silently (no FIN, no RST) within about two intervals.
            KeepAlivePingDelay = config.Hub.KeepAliveInterval,
            KeepAlivePingTimeout = config.Hub.KeepAliveInterval,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = false,

            // https:// is mTLS: the enrolled certificate (renewals included) against the hub CA only.
            SslOptions = config.Hub.Url.Scheme == Uri.UriSchemeHttps ? identity.ClientOptions() : new(),
        },
        // Resilience lives in one layer: the Polly pipeline above, not gRPC's own retry policy.
        MaxRetryAttempts = 0,
    });

    private async Task RunSessionAsync(CallInvoker client, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        if (config.Hub.Url.Scheme == Uri.UriSchemeHttps && identity.Current is null)
        {
            throw new HubSessionException($"this agent is not enrolled (no certificate in {identity.Files.Folder}): run edge-agent enroll --hub <hub API URL> --token <token>", retryable: false);
        }

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.AsyncDuplexStreamingCall(ConnectMethod, null, new CallOptions(config.Hub.Compress ? GzipRequests : null, cancellationToken: session.Token));

        await call.RequestStream.WriteAsync(SyncFrame.Of(new AgentMessage { Hello = CreateHello() }), session.Token);
        var welcome = await ReadWelcomeAsync(call.ResponseStream, session.Token);
        await ReconcileAsync(welcome, session.Token);

        status.SetConnected(time.GetUtcNow());
        LogConnected(logger, config.Hub.Url, welcome.HighestDurableSequence, outbox.LastDurableSequence);
        _lastFailure = null;

        using var window = new SendWindow(config.Hub.MaxBatchesInFlight);
        using var writer = new SessionWriter(call.RequestStream);
        var pending = Channel.CreateBounded<HubMessage>(HubDirectives.Capacity);
        var hubLimit = welcome.MaxMessageBytes > 0 ? (int)Math.Min(welcome.MaxMessageBytes, int.MaxValue) : DefaultHubMessageBytes;
        _largestSent = default;

        // The link-up health report goes first, so that it tells the backlog as it was at link-up. Started
        // after the sender, it could be computed after the receiver had already taken the acks of a
        // backlog the sender wrote at once (memory-tail reads complete on this thread, and acks already
        // buffered are read without a wait): the hub was then told of no backlog at all.
        var health = HealthLoopAsync(writer, time.GetUtcNow(), outbox.LastAcknowledgedSequence, session.Token);
        var sender = SendLoopAsync(writer, window, hubLimit, session.Token);
        var receiver = ReceiveLoopAsync(call.ResponseStream, window, pending.Writer, writer, session.Token);
        var directing = directives.RunAsync(pending.Reader, writer.WriteAsync, session.Token);
        var liveLane = LiveLoopAsync(writer, session.Token);
        var reporting = RolloutLoopAsync(writer, session.Token);
        var first = await Task.WhenAny(sender, receiver, health, directing, liveLane, reporting);
        await session.CancelAsync();
        try
        {
            await Task.WhenAll(sender, receiver, health, directing, liveLane, reporting);
        }
        catch (Exception) when (first.IsFaulted || session.IsCancellationRequested)
        {
            // The first failure is the one that matters; the other loop only saw the cancellation.
        }

        var error = first.Exception?.GetBaseException() ?? new HubSessionException("hub closed the stream");
        if (RefusedAsTooLarge(call, sender, receiver) is { } tooLarge)
        {
            // The hub read a message above its limit (a hub that did not say its limit, or said a larger one
            // than it enforces): the same batch would come first again on every reconnect.
            error = BatchTooLarge(_largestSent.Sequence, _largestSent.Bytes, hubLimit, tooLarge.Detail);
        }

        status.SetDisconnected(time.GetUtcNow(), error.Message);
        outbox.ForgetReads();
        if (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (time.GetUtcNow() - startedAt >= HealthySession)
        {
            // A long, healthy session: report and reconnect with a fresh (short) backoff.
            LogDisconnected(logger, error.Message);
            return;
        }

        throw error is OperationCanceledException ? new HubSessionException("session cancelled", error) : error;
    }

    /// <summary>
    /// The error for a batch the hub cannot read (the size contract, docs/sync.md): logged as an error once per
    /// sequence, not retryable, so that reconnects wait the longest backoff instead of resending it at once. The
    /// batch stays in the outbox, and every later one behind it, until the hub's limit is raised.
    /// </summary>
    private HubSessionException BatchTooLarge(ulong sequence, int bytes, int hubLimit, string? hubSaid = null)
    {
        var reason = $"batch {sequence} is {bytes} bytes, above the hub's message limit of {hubLimit} bytes"
            + (hubSaid is null ? "" : $" (hub: {hubSaid})")
            + "; it stays in the outbox and blocks the link: raise the hub's Ingest:MaxReceiveMessageBytes";
        if (sequence != _tooLargeLogged)
        {
            LogBatchTooLarge(logger, sequence, bytes, hubLimit, config.Hub.Url);
            _tooLargeLogged = sequence;
        }

        return new HubSessionException(reason, retryable: false);
    }

    /// <summary>
    /// The hub's RESOURCE_EXHAUSTED, if it ended the call with one. The loop that fails first may only have seen
    /// its write fail (Cancelled) while the receiver holds the hub's status, so every place is looked at.
    /// </summary>
    private static Status? RefusedAsTooLarge(AsyncDuplexStreamingCall<SyncFrame, HubMessage> call, params Task[] loops)
    {
        foreach (var loop in loops)
        {
            if (loop.Exception?.GetBaseException() is RpcException { StatusCode: StatusCode.ResourceExhausted } refused)
            {
                return refused.Status;
            }
        }

        try
        {
            var status = call.GetStatus();
            return status.StatusCode == StatusCode.ResourceExhausted ? status : null;
        }
        catch (InvalidOperationException)
        {
            // The call has no status yet: the hub did not end it.
            return null;
        }
    }

    private Hello CreateHello() => new()
    {
        AgentId = config.AgentId,
        AgentVersion = running.Version,
        ProtocolVersion = Proto.SyncProtocol.Version,
        LastAckedSequence = outbox.LastAcknowledgedSequence,
        LastDurableSequence = outbox.LastDurableSequence,
        OutboxEpoch = outbox.Epoch,
        ClockSynchronized = clock.IsSynchronized,
        ConfigVersion = directives.ConfigVersion,
    };

    private static async Task<Welcome> ReadWelcomeAsync(IAsyncStreamReader<HubMessage> responses, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WelcomeTimeout);
        if (!await responses.MoveNext(timeout.Token))
        {
            throw new HubSessionException("hub closed the stream before its welcome");
        }

        return responses.Current.BodyCase switch
        {
            HubMessage.BodyOneofCase.Welcome => responses.Current.Welcome,
            HubMessage.BodyOneofCase.Refusal => throw new HubSessionException($"hub refused this agent: {responses.Current.Refusal.Reason}", responses.Current.Refusal.Retryable),
            _ => throw new HubSessionException($"hub sent {responses.Current.BodyCase} before its welcome"),
        };
    }

    private async Task ReconcileAsync(Welcome welcome, CancellationToken cancellationToken)
    {
        var highest = welcome.HighestDurableSequence;
        if (highest > 0 && welcome.OutboxEpoch.Length > 0 && !string.Equals(welcome.OutboxEpoch, outbox.Epoch, StringComparison.Ordinal))
        {
            // The hub's sequences belong to another life of this agent (its data folder was
            // wiped): none of ours reached it, and ours may collide with its. Move above them.
            await outbox.RenumberAboveAsync(highest, cancellationToken);
        }
        else if (highest > outbox.LastDurableSequence)
        {
            // The hub has more from this agent than this outbox ever made: the data folder was
            // wiped. Move above it, or new batches would be skipped as duplicates.
            await outbox.EnsureSequenceAboveAsync(highest, cancellationToken);
        }
        else if (highest > outbox.LastAcknowledgedSequence)
        {
            // The hub stored these but its Ack was lost (hub crash or link loss after commit).
            await outbox.AcknowledgeAsync(highest, cancellationToken);
        }

        status.SetAcknowledged(outbox.LastAcknowledgedSequence);
    }

    private void NoteFailure(Exception? error, TimeSpan delay)
    {
        var reason = error switch
        {
            RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
            null => "unknown",
            _ => error.Message,
        };
        status.SetDisconnected(time.GetUtcNow(), reason);

        // Log once per change of reason, not once per attempt.
        if (!string.Equals(reason, _lastFailure, StringComparison.Ordinal))
        {
            LogLinkDown(logger, config.Hub.Url, reason, delay);
            _lastFailure = reason;
        }
    }
}
