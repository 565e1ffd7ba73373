using System.Security.Cryptography;
using EdgeCloud.Edge.OpcUa.Transport;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Client;

/// <summary>
/// An activated OPC UA session on its own secure channel (OPC 10000-4 §5.6). Services may be
/// called concurrently. Invariants: it is usable only while <see cref="Channel"/> is healthy; a
/// failed channel is never repaired here (the source's reconnect logic makes a new session or
/// re-activates this one on a new channel through <see cref="ReactivateAsync"/>).
/// </summary>
internal sealed partial class UaSession : IAsyncDisposable
{
    private readonly UaSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _endpointUrl;
    private byte[]? _serverNonce;
    private CreateSessionResponse _created = null!;

    private UaSession(UaSecureChannel channel, string endpointUrl, UaSessionOptions options, TimeProvider time, ILogger logger)
    {
        Channel = channel;
        _endpointUrl = endpointUrl;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public UaSecureChannel Channel { get; private set; }

    public NodeId SessionId => _created.SessionId;

    public NodeId AuthenticationToken => _created.AuthenticationToken;

    /// <summary>The session timeout the server granted.</summary>
    public TimeSpan RevisedTimeout => TimeSpan.FromMilliseconds(_created.RevisedSessionTimeout);

    public string EndpointUrl => _endpointUrl;

    /// <summary>Opens a channel, creates and activates a session.</summary>
    public static async Task<UaSession> ConnectAsync(string endpointUrl, UaSessionOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var security = await options.Security(cancellationToken).ConfigureAwait(false);
        var channel = await UaSecureChannel.OpenAsync(endpointUrl, security, options.Channel, time, logger, cancellationToken).ConfigureAwait(false);
        var session = new UaSession(channel, endpointUrl, options, time, logger);
        try
        {
            await session.CreateAsync(cancellationToken).ConfigureAwait(false);
            await session.ActivateAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Lists the server's endpoints over a None channel (OPC 10000-4 §5.4.4).</summary>
    public static async Task<EndpointDescription[]> GetEndpointsAsync(string endpointUrl, UaChannelOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var channel = await UaSecureChannel.OpenAsync(endpointUrl, new Security.NoneSecurity(), options, time, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await channel.SendAsync<GetEndpointsResponse>(new GetEndpointsRequest(endpointUrl), NodeId.Null, null, cancellationToken).ConfigureAwait(false);
            return response.Endpoints;
        }
        finally
        {
            await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var client = new ApplicationDescription(_options.ApplicationUri, "urn:edgecloud", new LocalizedText(null, _options.ApplicationName), 1, []);
        var clientNonce = RandomNumberGenerator.GetBytes(32);
        var request = new CreateSessionRequest(
            client, _endpointUrl, _options.SessionName, clientNonce, Channel.Security.LocalCertificate,
            _options.SessionTimeout.TotalMilliseconds, _options.Channel.Transport.MaxMessageSize);
        _created = await Channel.SendAsync<CreateSessionResponse>(request, NodeId.Null, null, cancellationToken).ConfigureAwait(false);
        if (!Channel.Security.VerifySession(Channel.Security.LocalCertificate, clientNonce, _created.ServerSignature))
        {
            // Proof that the server holds the key of the certificate we checked; without it we would be talking to whoever relays it.
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, $"the server's CreateSession signature does not verify with its certificate ({_endpointUrl})");
        }
        _serverNonce = _created.ServerNonce;
    }

    private async Task ActivateAsync(CancellationToken cancellationToken)
    {
        var token = UaIdentityTokens.Build(_options.Identity, _created, Channel.Security, _serverNonce);
        var signature = UaIdentityTokens.ClientSignature(Channel.Security, _created.ServerCertificate, _serverNonce);
        var request = new ActivateSessionRequest(signature, token, SignatureData.None);
        var response = await Channel.SendAsync<ActivateSessionResponse>(request, AuthenticationToken, null, cancellationToken).ConfigureAwait(false);
        _serverNonce = response.ServerNonce;
        UaLog.SessionActivated(_logger, SessionId.ToString(), _endpointUrl, _options.Identity.ToString());
    }

    /// <summary>Moves this session onto a new channel (after a connection loss shorter than the session timeout).</summary>
    public async Task ReactivateAsync(CancellationToken cancellationToken)
    {
        var security = await _options.Security(cancellationToken).ConfigureAwait(false);
        var channel = await UaSecureChannel.OpenAsync(_endpointUrl, security, _options.Channel, _time, _logger, cancellationToken).ConfigureAwait(false);
        var old = Channel;
        Channel = channel;
        await old.DisposeAsync().ConfigureAwait(false);
        try
        {
            await ActivateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Calls a service on this session.</summary>
    public Task<TResponse> CallAsync<TResponse>(IServiceRequest request, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where TResponse : IServiceResponse<TResponse> =>
        Channel.SendAsync<TResponse>(request, AuthenticationToken, timeout, cancellationToken);

    /// <summary>Closes the session (deleting its subscriptions) and the channel; never throws for a dead server.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (Channel.Fault is null)
        {
            try
            {
                await CallAsync<CloseSessionResponse>(new CloseSessionRequest(true), cancellationToken, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                UaLog.SessionClosed(_logger, SessionId.ToString());
            }
            catch (UaStatusException)
            {
                // The server is gone or already dropped the session: closing is done either way.
            }
        }

        await Channel.CloseAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await Channel.DisposeAsync().ConfigureAwait(false);
}
