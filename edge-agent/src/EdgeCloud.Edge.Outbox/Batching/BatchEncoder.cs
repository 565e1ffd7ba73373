using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EdgeCloud.Edge.Points;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// Turns points into the wire form of a <see cref="TelemetryBatch"/> (sequence left 0: the
/// outbox assigns it when the batch becomes durable, and sync sets it on the way out).
/// </summary>
/// <remarks>
/// <c>Encode</c> writes the protobuf bytes itself, byte for byte what the generated
/// <see cref="TelemetryBatch"/> would write (fields in number order, proto3 defaults omitted,
/// the set oneof case always written), because it runs for every point the agent polls: the
/// generated path made a <see cref="Point"/> object and a <c>device/tag</c> string per point,
/// which at 100k points/s were most of the agent's allocations. Here a batch costs one exact-size
/// array and nothing per point. With an <see cref="AddressCache"/> (the batcher's) a point's
/// <c>device/tag</c> bytes are copied from the cache instead of transcoded twice per point; the
/// bytes written are the same either way.
/// </remarks>
internal static class BatchEncoder
{
    // Field keys: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
    private const byte BatchPointsKey = (2 << 3) | 2;
    private const byte BatchSealedKey = (3 << 3) | 1;
    private const byte BatchClockKey = (4 << 3) | 0;
    private const byte TagKey = (1 << 3) | 2;
    private const byte TimeKey = (2 << 3) | 1;
    private const byte NumberKey = (3 << 3) | 1;
    private const byte IntegerKey = (4 << 3) | 0;
    private const byte FlagKey = (5 << 3) | 0;
    private const byte TextKey = (6 << 3) | 2;
    private const byte QualityKey = (7 << 3) | 0;
    private const byte DetailKey = (8 << 3) | 0;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static byte[] Encode(IReadOnlyList<DataPoint> points, long sealedAtUnixNano, bool clockSynchronized, AddressCache? addresses = null)
    {
        ArgumentNullException.ThrowIfNull(points);

        // Two passes: sizes first (kept, since a point's size is also its length prefix), then
        // the bytes into one array of exactly that size.
        var sizes = ArrayPool<int>.Shared.Rent(points.Count);
        try
        {
            for (var i = 0; i < points.Count; i++)
            {
                sizes[i] = PointSize(points[i], addresses);
            }

            return Encode(points, sizes.AsSpan(0, points.Count), sealedAtUnixNano, clockSynchronized, addresses);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sizes);
        }
    }

    /// <summary>
    /// Encodes <paramref name="points"/> whose sizes (<see cref="PointSize"/>, one per point, in order) the
    /// caller already counted: the batcher counts them as it fills a batch, to seal it by size.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<DataPoint> points, ReadOnlySpan<int> sizes, long sealedAtUnixNano, bool clockSynchronized, AddressCache? addresses = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (sizes.Length != points.Count)
        {
            throw new ArgumentException($"{sizes.Length} sizes for {points.Count} points", nameof(sizes));
        }

        var total = 0;
        foreach (var size in sizes)
        {
            total += FieldBytes(size);
        }

        total += sealedAtUnixNano != 0 ? 1 + 8 : 0;
        total += clockSynchronized ? 2 : 0;

        var buffer = new byte[total];
        var span = buffer.AsSpan();
        var at = 0;
        for (var i = 0; i < points.Count; i++)
        {
            span[at++] = BatchPointsKey;
            at += WriteVarint(span[at..], (uint)sizes[i]);
            at += WritePoint(span[at..], points[i], addresses);
        }

        if (sealedAtUnixNano != 0)
        {
            span[at++] = BatchSealedKey;
            BinaryPrimitives.WriteUInt64LittleEndian(span[at..], (ulong)sealedAtUnixNano);
            at += 8;
        }

        if (clockSynchronized)
        {
            span[at++] = BatchClockKey;
            span[at++] = 1;
        }

        return at == total ? buffer : throw new InvalidOperationException($"batch encoding wrote {at} bytes, sized {total}");
    }

    /// <summary>One point as a generated message (the live lane's snapshots, which are few).</summary>
    public static Point ToWire(DataPoint point)
    {
        var wire = new Point
        {
            Tag = point.Address,
            TimeUnixNano = (ulong)ToUnixNano(point.Timestamp),
            Quality = (Quality)(int)point.Quality,
            StatusDetail = point.StatusDetail,
        };
        switch (point.Value.Kind)
        {
            case TagValueKind.Number:
                wire.Number = point.Value.AsDouble();
                break;
            case TagValueKind.Integer:
                wire.Integer = point.Value.AsInteger();
                break;
            case TagValueKind.Flag:
                wire.Flag = point.Value.AsFlag();
                break;
            case TagValueKind.Text:
                wire.Text = point.Value.AsText();
                break;
            case TagValueKind.None:
            default:
                break;
        }

        return wire;
    }

    public static long ToUnixNano(DateTimeOffset timestamp) =>
        (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The bytes a point of <paramref name="pointSize"/> adds to an encoded batch (key, length and point): the batcher seals by it.</summary>
    public static int FieldBytes(int pointSize) => 1 + VarintSize((uint)pointSize) + pointSize;

    /// <summary>The encoded size of one point message (without its key and length).</summary>
    public static int PointSize(in DataPoint point, AddressCache? addresses = null)
    {
        // The tag field is never empty: it always holds the '/'.
        var tag = addresses?.Find(point.Device, point.Tag)?.Length ?? AddressBytes(point);
        var size = 1 + VarintSize((uint)tag) + tag;
        size += ToUnixNano(point.Timestamp) != 0 ? 1 + 8 : 0;
        size += point.Value.Kind switch
        {
            TagValueKind.Number => 1 + 8,
            TagValueKind.Integer => 1 + VarintSize(ZigZag(point.Value.AsInteger())),
            TagValueKind.Flag => 1 + 1,
            TagValueKind.Text => TextSize(point.Value.AsText()!),
            _ => 0,
        };
        size += point.Quality != PointQuality.Good ? 1 + VarintSize((uint)point.Quality) : 0;
        size += point.StatusDetail != 0 ? 1 + VarintSize(point.StatusDetail) : 0;
        return size;
    }

    private static int TextSize(string text)
    {
        var bytes = Utf8.GetByteCount(text);
        return 1 + VarintSize((uint)bytes) + bytes;
    }

    private static int AddressBytes(in DataPoint point) => Utf8.GetByteCount(point.Device) + 1 + Utf8.GetByteCount(point.Tag);

    private static int WritePoint(Span<byte> span, in DataPoint point, AddressCache? addresses)
    {
        var at = 0;
        span[at++] = TagKey;
        if (addresses?.Find(point.Device, point.Tag) is { } address)
        {
            at += WriteVarint(span[at..], (uint)address.Length);
            address.CopyTo(span[at..]);
            at += address.Length;
        }
        else
        {
            at += WriteVarint(span[at..], (uint)AddressBytes(point));
            at += Utf8.GetBytes(point.Device, span[at..]);
            span[at++] = (byte)'/';
            at += Utf8.GetBytes(point.Tag, span[at..]);
        }

        var time = ToUnixNano(point.Timestamp);
        if (time != 0)
        {
            span[at++] = TimeKey;
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], time);
            at += 8;
        }

        switch (point.Value.Kind)
        {
            case TagValueKind.Number:
                span[at++] = NumberKey;
                BinaryPrimitives.WriteDoubleLittleEndian(span[at..], point.Value.AsDouble());
                at += 8;
                break;
            case TagValueKind.Integer:
                span[at++] = IntegerKey;
                at += WriteVarint(span[at..], ZigZag(point.Value.AsInteger()));
                break;
            case TagValueKind.Flag:
                span[at++] = FlagKey;
                span[at++] = point.Value.AsFlag() ? (byte)1 : (byte)0;
                break;
            case TagValueKind.Text:
                var text = point.Value.AsText()!;
                span[at++] = TextKey;
                at += WriteVarint(span[at..], (uint)Utf8.GetByteCount(text));
                at += Utf8.GetBytes(text, span[at..]);
                break;
            case TagValueKind.None:
            default:
                break;
        }

        if (point.Quality != PointQuality.Good)
        {
            span[at++] = QualityKey;
            at += WriteVarint(span[at..], (uint)point.Quality);
        }

        if (point.StatusDetail != 0)
        {
            span[at++] = DetailKey;
            at += WriteVarint(span[at..], point.StatusDetail);
        }

        return at;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static int VarintSize(ulong value) => value == 0 ? 1 : (63 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 7;

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }
}
