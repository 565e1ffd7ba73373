using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.OpcUa.Subscriptions;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>
/// Keeps one OPC UA device subscribed for as long as it runs: connect, resolve tags, subscribe,
/// publish; on any failure publish bad-quality points once, wait a jittered backoff and come
/// back by re-activating the session on a new channel, or, when the server lost it, by creating a
/// new session and restoring the subscription with every monitored item. Invariants: the tag to
/// item mapping never changes across reconnects; one loop, honouring its token.
/// </summary>
internal sealed partial class OpcUaDeviceRunner
{
    private readonly OpcUaDeviceConfig _device;
    private readonly OpcUaSourceOptions _options;
    private readonly IPointSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UaSessionOptions _sessionOptions;
    private readonly JitteredBackoff _backoff;
    private UaSubscription? _subscription;
    private OpcUaTagConfig[] _subscribedTags = [];
    private long _sessionsCreated;
    private long _reactivations;

    public OpcUaDeviceRunner(OpcUaDeviceConfig device, OpcUaSourceOptions options, Func<CancellationToken, ValueTask<ChannelSecurity>> security, IPointSink sink, TimeProvider time, ILogger logger)
    {
        _device = device;
        _options = options;
        _sink = sink;
        _time = time;
        _logger = logger;
        _backoff = new JitteredBackoff(options.ReconnectBase, options.ReconnectCap);
        _sessionOptions = new UaSessionOptions
        {
            ApplicationUri = options.ApplicationUri,
            SessionName = "edge-agent " + device.Name,
            SessionTimeout = device.SessionTimeout,
            Identity = device.UserName is null ? UaIdentity.Anonymous : new UaIdentity(device.UserName, device.Password),
            Channel = options.Channel,
            Security = security,
        };
    }

    public bool Connected { get; private set; }

    public long SessionsCreated => Interlocked.Read(ref _sessionsCreated);

    public long Reactivations => Interlocked.Read(ref _reactivations);

    public int MonitoredItemCount => _subscription?.MonitoredItemCount ?? 0;

    public SubscriptionCounters? Counters => _subscription?.Counters;

    /// <summary>The last connection failure, for doctor and tests.</summary>
    public Exception? LastError { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        UaSession? session = null;
        var needSubscription = true;
        var outageReported = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    (session, needSubscription) = await ConnectAsync(session, needSubscription, cancellationToken).ConfigureAwait(false);
                    Connected = true;
                    outageReported = false;
                    _backoff.Reset();
                    await _subscription!.RunAsync(session, OnDataAsync, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    Connected = false;
                    LastError = ex;
                    if (ex is UaStatusException { StatusCode: StatusCodes.BadNoSubscription or StatusCodes.BadSubscriptionIdInvalid } && session?.Channel.Fault is null)
                    {
                        // The session lives but the server dropped the subscription (its lifetime ran out): restore it at once.
                        needSubscription = true;
                        continue;
                    }

                    LogDisconnected(_logger, _device.Name, ex.Message);
                    if (!outageReported)
                    {
                        outageReported = true;
                        await PublishUnreachableAsync(ex is UaStatusException status ? status.StatusCode : StatusCodes.BadCommunicationError, cancellationToken).ConfigureAwait(false);
                    }

                    await Task.Delay(_backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
        finally
        {
            if (session is not null)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
                await session.CloseAsync(closing.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task<(UaSession Session, bool NeedSubscription)> ConnectAsync(UaSession? session, bool needSubscription, CancellationToken cancellationToken)
    {
        if (session is not null && session.Channel.Fault is not null)
        {
            try
            {
                await session.ReactivateAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _reactivations);
                LogReactivated(_logger, _device.Name);
            }
            catch (UaStatusException ex) when (IsSessionGone(ex.StatusCode))
            {
                // The server no longer knows the session (restarted, or the outage outlasted the session timeout).
                await session.DisposeAsync().ConfigureAwait(false);
                session = null;
                needSubscription = true;
            }
        }

        if (session is null)
        {
            session = await UaSession.ConnectAsync(_device.EndpointUrl, _sessionOptions, _time, _logger, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sessionsCreated);
            needSubscription = true;
        }

        if (needSubscription)
        {
            try
            {
                _subscription ??= await BuildSubscriptionAsync(session, cancellationToken).ConfigureAwait(false);
                await _subscription.CreateAsync(session, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return (session, false);
    }

    private static bool IsSessionGone(uint status) => status is StatusCodes.BadSessionIdInvalid or StatusCodes.BadSessionClosed
        or StatusCodes.BadSessionNotActivated or StatusCodes.BadIdentityTokenInvalid or StatusCodes.BadIdentityTokenRejected;

    private static bool IsConnectionFailure(Exception ex) =>
        ex is UaStatusException or Encoding.UaDecodeException or IOException or System.Net.Sockets.SocketException or System.Security.Cryptography.CryptographicException;

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "OPC UA device {Device} disconnected: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "OPC UA device {Device}: session re-activated on a new channel")]
    private static partial void LogReactivated(ILogger logger, string device);
}
