using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// One message on the agent's request stream: either an <see cref="AgentMessage"/> built here
/// (hello, health) or a durable batch sent as the bytes the outbox already holds. The outbox
/// stores each batch as an encoded <c>TelemetryBatch</c> without its sequence, so the wire form
/// <c>AgentMessage{telemetry = TelemetryBatch{sequence, ...stored fields}}</c> is a short header in
/// front of those bytes: no parse and re-encode of every point on the hot path.
/// </summary>
internal sealed class SyncFrame
{
    private const byte TelemetryTag = (2 << 3) | 2; // AgentMessage.telemetry, length-delimited
    private const byte SequenceTag = (1 << 3) | 0;  // TelemetryBatch.sequence, varint
    private const byte DroppedTag = (5 << 3) | 0;   // TelemetryBatch.dropped_points_before, varint

    private readonly AgentMessage? _message;
    private readonly ulong _sequence;
    private readonly byte[]? _payload;
    private readonly ulong _droppedBefore;

    private SyncFrame(AgentMessage? message, ulong sequence, byte[]? payload, ulong droppedBefore = 0)
    {
        _message = message;
        _sequence = sequence;
        _payload = payload;
        _droppedBefore = droppedBefore;
    }

    /// <summary>
    /// The call's request marshaller: frames out; nothing to read back on the client. A batch is
    /// written straight into the call's buffer (its length is known up front), so sending it costs
    /// no frame-sized array of its own.
    /// </summary>
    public static Marshaller<SyncFrame> Marshaller { get; } =
        Marshallers.Create<SyncFrame>((frame, context) => frame.WriteTo(context), _ => throw new NotSupportedException("the agent never reads its own request stream"));

    public static SyncFrame Of(AgentMessage message) => new(message, 0, null);

    /// <summary>
    /// A stored batch (encoded TelemetryBatch whose sequence and dropped_points_before fields are
    /// unset) with its sequence and the points the disk budget dropped just before it.
    /// </summary>
    public static SyncFrame Batch(ulong sequence, byte[] storedPayload, ulong droppedBefore = 0) => new(null, sequence, storedPayload, droppedBefore);

    /// <summary>The frame's encoded size: what the hub's receive limit is compared with (gzip aside).</summary>
    public int Length => _message?.CalculateSize() ?? BatchLength();

    public byte[] ToBytes()
    {
        if (_message is not null)
        {
            return _message.ToByteArray();
        }

        var bytes = new byte[BatchLength()];
        WriteBatch(bytes);
        return bytes;
    }

    /// <summary>Writes the frame into a call's serialization context (what <see cref="Marshaller"/> does).</summary>
    public void WriteTo(SerializationContext context)
    {
        if (_message is not null)
        {
            context.Complete(_message.ToByteArray());
            return;
        }

        var length = BatchLength();
        context.SetPayloadLength(length);
        var writer = context.GetBufferWriter();
        WriteBatch(writer.GetSpan(length)[..length]);
        writer.Advance(length);
        context.Complete();
    }

    private int InnerLength() =>
        1 + VarintSize(_sequence) + (_droppedBefore > 0 ? 1 + VarintSize(_droppedBefore) : 0) + _payload!.Length;

    private int BatchLength()
    {
        var inner = InnerLength();
        return 1 + VarintSize((ulong)inner) + inner;
    }

    private void WriteBatch(Span<byte> bytes)
    {
        var at = 0;
        bytes[at++] = TelemetryTag;
        at += WriteVarint(bytes[at..], (ulong)InnerLength());
        bytes[at++] = SequenceTag;
        at += WriteVarint(bytes[at..], _sequence);
        if (_droppedBefore > 0)
        {
            bytes[at++] = DroppedTag;
            at += WriteVarint(bytes[at..], _droppedBefore);
        }

        _payload.CopyTo(bytes[at..]);
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
