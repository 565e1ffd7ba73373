using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>The receive side: one loop reading chunks, checking them and completing calls.</summary>
internal sealed partial class UaSecureChannel
{
    private readonly ChunkAssembler _assembler;
    private uint? _receiveSequence;

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // Yield first so OpenAsync returns to its caller before the first read blocks.
        await Task.Yield();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var frame = await _connection.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
                var (requestId, message) = ProcessChunk(frame);
                if (message is null)
                {
                    continue;
                }

                if (_pending.TryGetValue(requestId, out var waiter))
                {
                    waiter.TrySetResult(message);
                }
                else
                {
                    UaLog.UnknownResponse(_logger, requestId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SetFault(new UaStatusException(StatusCodes.BadSecureChannelClosed, $"the channel to {_endpoint} was closed"), log: false);
        }
        catch (Exception ex) when (ex is UaStatusException or UaDecodeException)
        {
            SetFault(ex, log: true);
        }
#pragma warning disable CA1031 // The loop must end in a fault the owner sees, whatever a security policy or socket throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SetFault(new UaStatusException(StatusCodes.BadUnexpectedError, $"the channel to {_endpoint} failed: {ex.Message}", ex), log: true);
        }
    }

    /// <summary>
    /// Checks one chunk and feeds it to the assembler. Returns the request id and, on a final
    /// chunk, the whole message body. Throws <see cref="UaDecodeException"/> or
    /// <see cref="UaStatusException"/> for anything malformed or unexpected.
    /// </summary>
    internal (uint RequestId, byte[]? Message) ProcessChunk(UaFrame frame)
    {
        if (frame.MessageType == UaTcpMessageType.Error)
        {
            var error = new UaBinaryReader(frame.Bytes, UaFrameCodec.HeaderSize, frame.Bytes.Length - UaFrameCodec.HeaderSize, _options.Encoding);
            throw UaTcpConnection.ReadError(error, $"the server closed the channel to {_endpoint}");
        }

        var reader = new UaBinaryReader(frame.Bytes, UaFrameCodec.HeaderSize, frame.Bytes.Length - UaFrameCodec.HeaderSize, _options.Encoding);
        var channelId = reader.ReadUInt32();
        if (_channelId != 0 && channelId != _channelId)
        {
            throw new UaStatusException(StatusCodes.BadSecureChannelIdInvalid, string.Create(CultureInfo.InvariantCulture, $"chunk for channel {channelId} on channel {_channelId}"));
        }

        var asymmetric = frame.MessageType == UaTcpMessageType.Open;
        uint tokenId = 0;
        if (asymmetric)
        {
            var policy = reader.ReadString();
            if (!string.Equals(policy, _security.PolicyUri, StringComparison.Ordinal))
            {
                throw new UaStatusException(StatusCodes.BadSecurityPolicyRejected, $"the server answered with security policy '{policy}', not '{_security.PolicyUri}'");
            }

            var sender = reader.ReadByteString();
            if (_security.RemoteCertificate is { } expected && sender is not null && !sender.AsSpan().SequenceEqual(expected))
            {
                throw new UaStatusException(StatusCodes.BadCertificateInvalid, "the server signed with another certificate than the one its endpoint announced");
            }

            reader.ReadByteString(); // receiver thumbprint
        }
        else
        {
            tokenId = reader.ReadUInt32();
            if (tokenId != _tokenId && tokenId != _previousTokenId)
            {
                throw new UaStatusException(StatusCodes.BadSecureChannelTokenUnknown, string.Create(CultureInfo.InvariantCulture, $"chunk for unknown token {tokenId}"));
            }
        }

        var plain = _security.Unprotect(frame.Bytes, reader.Position, asymmetric, tokenId);
        if (plain.Count < SequenceHeaderSize)
        {
            throw new UaDecodeException("chunk too short for its sequence header");
        }

        var sequence = new UaBinaryReader(plain.Array!, plain.Offset, SequenceHeaderSize);
        CheckSequence(sequence.ReadUInt32());
        var requestId = sequence.ReadUInt32();
        var body = plain.AsSpan(SequenceHeaderSize);
        try
        {
            return (requestId, _assembler.Add(requestId, frame.ChunkType, body));
        }
        catch (UaStatusException ex) when (_pending.TryGetValue(requestId, out var waiter))
        {
            // An abort chunk fails only its own request; the channel stays usable.
            waiter.TrySetException(ex);
            return (requestId, null);
        }
    }

    private void CheckSequence(uint sequenceNumber)
    {
        if (_receiveSequence is { } previous)
        {
            var wrapped = previous > uint.MaxValue - 1024 && sequenceNumber < 1024;
            if (sequenceNumber != previous + 1 && !wrapped)
            {
                throw new UaStatusException(StatusCodes.BadSequenceNumberInvalid, string.Create(CultureInfo.InvariantCulture, $"sequence number {sequenceNumber} after {previous}"));
            }
        }

        _receiveSequence = sequenceNumber;
    }

    private void SetFault(Exception fault, bool log)
    {
        if (Interlocked.CompareExchange(ref _fault, fault, null) is not null)
        {
            return;
        }

        if (log)
        {
            UaLog.ChannelFaulted(_logger, _endpoint, fault.Message);
        }

        var error = new UaStatusException(StatusCodes.BadSecureChannelClosed, $"the channel to {_endpoint} is closed: {fault.Message}", fault);
        foreach (var pair in _pending)
        {
            pair.Value.TrySetException(error);
        }

        _completion.TrySetResult();
    }
}
