using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>
/// Reassembles message bodies from chunks by request id (OPC 10000-6 §6.7.2.4). Invariants:
/// no message grows past <c>maxMessageSize</c> bytes or <c>maxChunkCount</c> chunks, and at most
/// <c>maxOpenMessages</c> are half-built at once; whatever breaks them throws
/// <see cref="UaDecodeException"/> (BadEncodingLimitsExceeded) and the partial message is dropped.
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly Dictionary<uint, Partial> _open = [];
    private readonly uint _maxMessageSize;
    private readonly uint _maxChunkCount;
    private readonly int _maxOpenMessages;

    public ChunkAssembler(uint maxMessageSize, uint maxChunkCount, int maxOpenMessages = 64)
    {
        _maxMessageSize = maxMessageSize;
        _maxChunkCount = maxChunkCount;
        _maxOpenMessages = maxOpenMessages;
    }

    /// <summary>Messages started but not finished.</summary>
    public int OpenCount => _open.Count;

    /// <summary>
    /// Adds one chunk's body. Returns the whole message on the final chunk, null before it.
    /// An abort chunk drops the partial message and throws the server's reason.
    /// </summary>
    public byte[]? Add(uint requestId, byte chunkType, ReadOnlySpan<byte> body)
    {
        _open.TryGetValue(requestId, out var partial);
        if (chunkType == UaTcpMessageType.Abort)
        {
            _open.Remove(requestId);
            var reader = new UaBinaryReader(body.ToArray());
            throw UaTcpConnection.ReadError(reader, string.Create(CultureInfo.InvariantCulture, $"the server aborted the response to request {requestId}"));
        }

        var count = (partial?.Count ?? 0) + 1;
        var size = (long)(partial?.Length ?? 0) + body.Length;
        if (count > _maxChunkCount || size > _maxMessageSize)
        {
            _open.Remove(requestId);
            throw new UaDecodeException(StatusCodes.BadEncodingLimitsExceeded, string.Create(CultureInfo.InvariantCulture,
                $"response to request {requestId} exceeds the limits ({count} chunks of at most {_maxChunkCount}, {size} bytes of at most {_maxMessageSize})"));
        }

        if (chunkType == UaTcpMessageType.Final && partial is null)
        {
            return body.ToArray();
        }

        if (partial is null)
        {
            if (_open.Count >= _maxOpenMessages)
            {
                throw new UaDecodeException(StatusCodes.BadEncodingLimitsExceeded, string.Create(CultureInfo.InvariantCulture, $"more than {_maxOpenMessages} responses are half received"));
            }

            partial = new Partial();
            _open[requestId] = partial;
        }

        partial.Append(body);
        if (chunkType != UaTcpMessageType.Final)
        {
            return null;
        }

        _open.Remove(requestId);
        return partial.ToArray();
    }

    /// <summary>A message being reassembled; grows by doubling, bounded by the checks above.</summary>
    private sealed class Partial
    {
        private byte[] _buffer = new byte[8192];

        public int Count { get; private set; }

        public int Length { get; private set; }

        public void Append(ReadOnlySpan<byte> body)
        {
            if (Length + body.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + body.Length));
            }

            body.CopyTo(_buffer.AsSpan(Length));
            Length += body.Length;
            Count++;
        }

        public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
    }
}
