using System.Buffers.Binary;
using System.Text;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// The body of one <c>point_blocks</c> row: the points of one series from one batch, in arrival order.
/// Layout (format 1): the format byte, the point count (varint), then per point a header byte (bits 0-2
/// the value kind: 0 none, 1 number, 2 integer, 3 flag false, 4 flag true, 5 text; bit 3 set when quality
/// and detail follow), the time as a zigzag varint delta from the previous point's (the first from the
/// row's <c>first_ts</c>), the value (number: 8 bytes little-endian IEEE 754, so NaN and infinities keep
/// their bits; integer: zigzag varint; text: varint byte length and UTF-8), then quality and detail as
/// varints when the header says so. Decoding checks every length and field against the row and fails with
/// <see cref="InvalidDataException"/>; it never reads past the body or allocates more than it holds.
/// </summary>
internal static class PointBlockCodec
{
    /// <summary>The only format written so far.</summary>
    public const byte Format1 = 1;

    /// <summary>
    /// A block's points span at most this much time (last_ts - first_ts), so a range query seeks from
    /// <c>from - MaxSpanNanos</c>. Stored data relies on it: never raise it without migrating the blocks.
    /// </summary>
    public const long MaxSpanNanos = 10L * 60 * 1_000_000_000;

    /// <summary>At most this many points per block (a bigger batch of one tag is split).</summary>
    public const int MaxPoints = 4096;

    private const int KindNone = 0, KindNumber = 1, KindInteger = 2, KindFalse = 3, KindTrue = 4, KindText = 5;
    private const byte KindMask = 0x07, HasQuality = 0x08;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Cuts one series' points (arrival order) into runs of at most <see cref="MaxPoints"/> points spanning at most
    /// <see cref="MaxSpanNanos"/>, and hands each run with its earliest and latest time to <paramref name="write"/>.
    /// </summary>
    public static void ForEachBlock<TState>(List<Point> points, List<Point> scratch, TState state, Action<TState, List<Point>, long, long> write)
    {
        scratch.Clear();
        long first = 0, last = 0;
        foreach (var point in points)
        {
            var ts = (long)point.TimeUnixNano;
            if (scratch.Count > 0)
            {
                var (newFirst, newLast) = (Math.Min(first, ts), Math.Max(last, ts));
                if (scratch.Count == MaxPoints || (ulong)(newLast - newFirst) > MaxSpanNanos)
                {
                    write(state, scratch, first, last);
                    scratch.Clear();
                }
            }

            (first, last) = scratch.Count == 0 ? (ts, ts) : (Math.Min(first, ts), Math.Max(last, ts));
            scratch.Add(point);
        }

        if (scratch.Count > 0)
        {
            write(state, scratch, first, last);
        }
    }

    /// <summary>Encodes <paramref name="points"/> (all of one series, at most <see cref="MaxPoints"/>) relative to <paramref name="firstTs"/>.</summary>
    public static byte[] Encode(IReadOnlyList<Point> points, long firstTs)
    {
        var buffer = new Writer(16 + (points.Count * 12));
        buffer.Byte(Format1);
        buffer.Varint((ulong)points.Count);
        var previous = firstTs;
        foreach (var point in points)
        {
            var ts = (long)point.TimeUnixNano;
            var withQuality = point.Quality != Quality.Good || point.StatusDetail != 0;
            var kind = point.ValueCase switch
            {
                Point.ValueOneofCase.Number => KindNumber,
                Point.ValueOneofCase.Integer => KindInteger,
                Point.ValueOneofCase.Flag => point.Flag ? KindTrue : KindFalse,
                Point.ValueOneofCase.Text => KindText,
                _ => KindNone,
            };
            buffer.Byte((byte)(kind | (withQuality ? HasQuality : 0)));
            buffer.Varint(ZigZag(unchecked(ts - previous)));
            previous = ts;
            switch (kind)
            {
                case KindNumber:
                    buffer.Double(point.Number);
                    break;
                case KindInteger:
                    buffer.Varint(ZigZag(point.Integer));
                    break;
                case KindText:
                    buffer.Text(point.Text);
                    break;
            }

            if (withQuality)
            {
                buffer.Varint((uint)point.Quality);
                buffer.Varint(point.StatusDetail);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Decodes a body stored with <paramref name="firstTs"/>, <paramref name="lastTs"/> and <paramref name="count"/>
    /// into <paramref name="into"/> (appended in arrival order). Throws <see cref="InvalidDataException"/> saying what
    /// is wrong and at which byte when the body does not match its row or is cut short.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> body, long firstTs, long lastTs, long count, List<StoredPoint> into)
    {
        var reader = new Reader(body);
        var format = reader.Byte();
        if (format != Format1)
        {
            throw new InvalidDataException($"unknown block format {format} (this hub reads format {Format1})");
        }

        var stored = reader.Varint();

        // Every point takes at least two bytes, so a count the body cannot hold is corrupt before anything is allocated.
        if (stored != (ulong)count || count < 1 || count > MaxPoints)
        {
            throw new InvalidDataException($"the body holds {stored} points but the row says {count}");
        }

        if ((ulong)body.Length < 1 + (2 * stored))
        {
            throw new InvalidDataException($"the body's {body.Length} bytes cannot hold {stored} points");
        }

        var previous = firstTs;
        for (var i = 0; i < count; i++)
        {
            var at = reader.Position;
            var header = reader.Byte();
            if ((header & ~(KindMask | HasQuality)) != 0 || (header & KindMask) > KindText)
            {
                throw new InvalidDataException($"point {i} at byte {at} has an unknown header 0x{header:x2}");
            }

            var ts = unchecked(previous + UnZigZag(reader.Varint()));
            if (ts < firstTs || ts > lastTs)
            {
                throw new InvalidDataException($"point {i} at byte {at} has time {ts} outside the block's [{firstTs}, {lastTs}]");
            }

            previous = ts;
            object? value = (header & KindMask) switch
            {
                KindNumber => reader.Double(),
                KindInteger => UnZigZag(reader.Varint()),
                KindFalse => false,
                KindTrue => true,
                KindText => reader.Text(),
                _ => null,
            };
            var quality = Quality.Good;
            uint detail = 0;
            if ((header & HasQuality) != 0)
            {
                quality = (Quality)reader.UInt32();
                detail = reader.UInt32();
            }

            into.Add(new StoredPoint(ts, value, quality, detail));
        }

        if (reader.Position != body.Length)
        {
            throw new InvalidDataException($"{body.Length - reader.Position} bytes follow the last point");
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private sealed class Writer(int capacity)
    {
        private byte[] _bytes = new byte[capacity];
        private int _length;

        public void Byte(byte value)
        {
            Reserve(1);
            _bytes[_length++] = value;
        }

        public void Varint(ulong value)
        {
            Reserve(10);
            while (value >= 0x80)
            {
                _bytes[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _bytes[_length++] = (byte)value;
        }

        public void Double(double value)
        {
            Reserve(8);
            BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(_length), BitConverter.DoubleToInt64Bits(value));
            _length += 8;
        }

        public void Text(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Varint((ulong)length);
            Reserve(length);
            _length += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_length));
        }

        public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

        private void Reserve(int more)
        {
            if (_length + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;

        public int Position { get; private set; }

        public byte Byte()
        {
            Need(1);
            return _body[Position++];
        }

        public ulong Varint()
        {
            var at = Position;
            ulong value = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                var b = Byte();
                if (shift == 63 && b > 1)
                {
                    break;
                }

                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException($"the varint at byte {at} is longer than 64 bits");
        }

        public uint UInt32()
        {
            var at = Position;
            var value = Varint();
            return value <= uint.MaxValue ? (uint)value : throw new InvalidDataException($"the value at byte {at} exceeds 32 bits");
        }

        public double Double()
        {
            Need(8);
            var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(_body[Position..]));
            Position += 8;
            return value;
        }

        public string Text()
        {
            var at = Position;
            var length = Varint();
            if (length > (ulong)(_body.Length - Position))
            {
                throw new InvalidDataException($"the text at byte {at} claims {length} bytes but {_body.Length - Position} remain");
            }

            try
            {
                var text = StrictUtf8.GetString(_body.Slice(Position, (int)length));
                Position += (int)length;
                return text;
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidDataException($"the text at byte {at} is not valid UTF-8", ex);
            }
        }

        private readonly void Need(int bytes)
        {
            if (_body.Length - Position < bytes)
            {
                throw new InvalidDataException($"the body ends at byte {_body.Length} but {bytes} more bytes are needed at byte {Position}");
            }
        }
    }
}
