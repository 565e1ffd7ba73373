using System.Collections.Concurrent;
using System.Globalization;
using EdgeCloud.Edge.OpcUa.Security;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>
/// A UA Secure Conversation channel over one UA TCP connection (OPC 10000-6 §6.7). Service calls
/// may overlap; responses are matched by request id. Invariants: chunks go out in sequence-number
/// order under one send lock; every received chunk is verified, sequence-checked and bounded
/// before it is reassembled; the first failure faults the channel, fails every pending call with
/// the same error and completes <see cref="Completion"/>; a faulted channel is never reused.
/// </summary>
internal sealed partial class UaSecureChannel : IAsyncDisposable
{
    private readonly UaTcpConnection _connection;
    private readonly ChannelSecurity _security;
    private readonly UaChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<byte[]>> _pending = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _endpoint;
    private Task _receiveLoop = Task.CompletedTask;
    private uint _sendSequence;
    private int _requestId;
    private uint _channelId;
    private uint _tokenId;
    private uint _previousTokenId;
    private long _renewAtTimestamp = long.MaxValue;
    private Exception? _fault;
    private int _disposed;
    private long _renewals;

    private UaSecureChannel(UaTcpConnection connection, ChannelSecurity security, UaChannelOptions options, string endpoint, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _security = security;
        _options = options;
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        _assembler = new ChunkAssembler(connection.Local.MaxMessageSize, connection.Local.MaxChunkCount);
    }

    /// <summary>Completes when the channel is closed or faulted; its exception says why.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The first failure, or null while the channel is healthy.</summary>
    public Exception? Fault => _fault;

    public ChannelSecurity Security => _security;

    /// <summary>Tokens renewed on this channel.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    public string EndpointUrl => _endpoint;

    /// <summary>Connects, says Hello and opens the channel (issues its first token).</summary>
    public static async Task<UaSecureChannel> OpenAsync(
        string endpointUrl, ChannelSecurity security, UaChannelOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = UaEndpointUrl.Parse(endpointUrl);
        var connection = await UaTcpConnection.ConnectAsync(endpoint, options.Transport, cancellationToken).ConfigureAwait(false);
        var channel = new UaSecureChannel(connection, security, options, endpointUrl, time, logger);
        channel._receiveLoop = channel.ReceiveLoopAsync(channel._stop.Token);
        try
        {
            await channel.IssueTokenAsync(renew: false, cancellationToken).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task IssueTokenAsync(bool renew, CancellationToken cancellationToken)
    {
        var clientNonce = _security.CreateNonce();
        var request = new OpenSecureChannelRequest(renew, _security.Mode, clientNonce, (uint)_options.TokenLifetime.TotalMilliseconds);
        var response = await CallAsync<OpenSecureChannelResponse>(request, NodeId.Null, _options.RequestTimeout, UaTcpMessageType.Open, cancellationToken).ConfigureAwait(false);
        _security.OnTokenIssued(response.TokenId, clientNonce, response.ServerNonce);
        _channelId = response.ChannelId;
        _previousTokenId = _tokenId;
        _tokenId = response.TokenId;
        var lifetime = Math.Max(response.RevisedLifetime, 1000u);
        _renewAtTimestamp = _time.GetTimestamp() + (long)(lifetime * 0.75 * _time.TimestampFrequency / 1000);
        if (renew)
        {
            UaLog.TokenRenewed(_logger, _channelId, _tokenId);
        }
        else
        {
            UaLog.ChannelOpened(_logger, _channelId, _endpoint, _security.PolicyUri, _security.Mode, _tokenId, lifetime);
        }
    }

    /// <summary>Calls a service and returns its response; a bad service result throws <see cref="UaStatusException"/>.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IServiceRequest request, NodeId authenticationToken, TimeSpan? timeout, CancellationToken cancellationToken)
        where TResponse : IServiceResponse<TResponse>
    {
        var renewAt = Interlocked.Read(ref _renewAtTimestamp);
        if (_time.GetTimestamp() >= renewAt && Interlocked.CompareExchange(ref _renewAtTimestamp, long.MaxValue, renewAt) == renewAt)
        {
            // Renew before the token expires (OPC 10000-6 §6.7.4 asks for renewal after 75% of the
            // lifetime); the compare-exchange lets exactly one caller do it.
            await IssueTokenAsync(renew: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _renewals);
        }

        return await CallAsync<TResponse>(request, authenticationToken, timeout ?? _options.RequestTimeout, UaTcpMessageType.Message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> CallAsync<TResponse>(IServiceRequest request, NodeId authenticationToken, TimeSpan timeout, uint messageType, CancellationToken cancellationToken)
        where TResponse : IServiceResponse<TResponse>
    {
        ThrowIfFaulted();
        var requestId = (uint)Interlocked.Increment(ref _requestId);
        var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = waiter;
        try
        {
            var header = new RequestHeader(authenticationToken, _time.GetUtcNow().UtcDateTime, requestId, (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue));
            var body = new UaBinaryWriter();
            body.WriteNodeId(NodeId.FromNumeric(0, request.EncodingId));
            header.Encode(body);
            request.EncodeBody(body);
            await SendChunksAsync(messageType, requestId, body, cancellationToken).ConfigureAwait(false);

            using var timeoutSource = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            byte[] response;
            try
            {
                response = await waiter.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UaStatusException(StatusCodes.BadTimeout, string.Create(CultureInfo.InvariantCulture, $"{request.GetType().Name} to {_endpoint} got no response within {timeout.TotalMilliseconds} ms"));
            }

            return DecodeResponse<TResponse>(response, request);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    private TResponse DecodeResponse<TResponse>(byte[] response, IServiceRequest request)
        where TResponse : IServiceResponse<TResponse> =>
        ServiceResponses.Decode<TResponse>(response, _options.Encoding, request.GetType().Name.Replace("Request", "", StringComparison.Ordinal), _endpoint);

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
        {
            throw new UaStatusException(StatusCodes.BadSecureChannelClosed, $"the channel to {_endpoint} is closed: {_fault.Message}", _fault);
        }
    }

    /// <summary>Sends CloseSecureChannel (best effort) and closes the connection.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_fault is null)
        {
            try
            {
                var requestId = (uint)Interlocked.Increment(ref _requestId);
                var body = new UaBinaryWriter();
                var request = new CloseSecureChannelRequest();
                body.WriteNodeId(NodeId.FromNumeric(0, request.EncodingId));
                new RequestHeader(NodeId.Null, _time.GetUtcNow().UtcDateTime, requestId, 1000).Encode(body);
                await SendChunksAsync(UaTcpMessageType.Close, requestId, body, cancellationToken).ConfigureAwait(false);
            }
            catch (UaStatusException)
            {
                // The server went away first: nothing to close politely.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SetFault(new UaStatusException(StatusCodes.BadSecureChannelClosed, $"the channel to {_endpoint} was closed by the client"), log: false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation when we close.
        }

        _stop.Dispose();
        (_security as IDisposable)?.Dispose();
    }
}
