using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>Splitting a message into chunks and sending them (OPC 10000-6 §6.7.2).</summary>
internal sealed partial class UaSecureChannel
{
    private const int SequenceHeaderSize = 8;

    private async Task SendChunksAsync(uint messageType, uint requestId, UaBinaryWriter body, CancellationToken cancellationToken)
    {
        var asymmetric = messageType == UaTcpMessageType.Open;
        var limits = _connection.Remote;
        if (limits.MaxMessageSize != 0 && body.Length > limits.MaxMessageSize)
        {
            throw new UaStatusException(StatusCodes.BadRequestTooLarge, string.Create(CultureInfo.InvariantCulture, $"a request of {body.Length} bytes exceeds the server's limit of {limits.MaxMessageSize}"));
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFaulted();
            var tokenId = _tokenId;
            var headers = BuildHeaders(messageType, asymmetric, tokenId);
            var piece = _security.MaxPlainTextSize((int)limits.ReceiveBufferSize, headers.Length, asymmetric) - SequenceHeaderSize;
            var chunkCount = Math.Max(1, (body.Length + piece - 1) / piece);
            if (limits.MaxChunkCount != 0 && chunkCount > limits.MaxChunkCount)
            {
                throw new UaStatusException(StatusCodes.BadRequestTooLarge, string.Create(CultureInfo.InvariantCulture, $"a request of {chunkCount} chunks exceeds the server's limit of {limits.MaxChunkCount}"));
            }

            for (var i = 0; i < chunkCount; i++)
            {
                var offset = i * piece;
                var length = Math.Min(piece, body.Length - offset);
                headers[3] = i == chunkCount - 1 ? UaTcpMessageType.Final : UaTcpMessageType.Intermediate;
                var plain = new UaBinaryWriter(length + SequenceHeaderSize);
                plain.WriteUInt32(NextSequenceNumber());
                plain.WriteUInt32(requestId);
                plain.WriteBytes(body.WrittenSpan.Slice(offset, length));
                var chunk = _security.Protect(headers, plain.WrittenSpan, asymmetric, tokenId);
                await _connection.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (UaStatusException ex) when (ex.StatusCode == StatusCodes.BadConnectionClosed)
        {
            SetFault(ex, log: true);
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private byte[] BuildHeaders(uint messageType, bool asymmetric, uint tokenId)
    {
        var writer = new UaBinaryWriter(asymmetric ? 256 + (_security.LocalCertificate?.Length ?? 0) : 16);
        UaFrameCodec.WriteHeader(writer, messageType, UaTcpMessageType.Final);
        writer.WriteUInt32(_channelId);
        if (asymmetric)
        {
            writer.WriteString(_security.PolicyUri);
            writer.WriteByteString(_security.LocalCertificate);
            writer.WriteByteString(_security.RemoteThumbprint);
        }
        else
        {
            writer.WriteUInt32(tokenId);
        }

        return writer.ToArray();
    }

    private uint NextSequenceNumber()
    {
        // Wraps to 1 after 4294966271 (UInt32.MaxValue - 1024), as §6.7.2.4 allows.
        _sendSequence = _sendSequence >= uint.MaxValue - 1024 ? 1 : _sendSequence + 1;
        return _sendSequence;
    }
}
