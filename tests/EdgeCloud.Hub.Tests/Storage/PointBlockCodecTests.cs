using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Sqlite;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>The SQLite raw block body: every value survives a round trip, and a damaged body is an error, never a crash.</summary>
public sealed class PointBlockCodecTests
{
    private const string Tag = "plc1/mixed";
    private const long T0 = Batches.BaseNanos;

    private static readonly Point[] EveryKind =
    [
        Batches.Number(Tag, T0 + 5, 21.5),
        Batches.Number(Tag, T0, double.NaN),
        Batches.Number(Tag, T0 + 1, double.PositiveInfinity),
        Batches.Number(Tag, T0 + 1, double.NegativeInfinity),
        Batches.Number(Tag, T0 + 2, -0.0),
        Batches.Number(Tag, T0 + 2, double.MaxValue),
        Batches.Number(Tag, T0 + 2, double.Epsilon),
        Batches.Integer(Tag, T0 + 3, long.MinValue),
        Batches.Integer(Tag, T0 + 3, long.MaxValue),
        Batches.Integer(Tag, T0 + 3, -1),
        Batches.Flag(Tag, T0 + 4, true),
        Batches.Flag(Tag, T0 + 4, false),
        Batches.Text(Tag, T0 + 4, ""),
        Batches.Text(Tag, T0 + 4, "Grüße, 温度 \u0000 🌡"),
        Batches.Text(Tag, T0 + 4, new string('x', 300)),
        Batches.Bad(Tag, T0 + 1_000_000_000, Quality.BadTimeout, uint.MaxValue),
        Batches.Number(Tag, T0 + 6, 3.25, Quality.Uncertain),
        new Point { Tag = Tag, TimeUnixNano = (ulong)T0 + 7, Integer = 9, StatusDetail = 17 },
    ];

    [Fact]
    public void Decode_EncodedBlockOfEveryValueKind_ReturnsTheSamePointsInTheSameOrder()
    {
        var (first, last) = Span(EveryKind);
        var decoded = new List<StoredPoint>();

        PointBlockCodec.Decode(PointBlockCodec.Encode(EveryKind, first), first, last, EveryKind.Length, decoded);

        Assert.Equal(EveryKind.Length, decoded.Count);
        for (var i = 0; i < EveryKind.Length; i++)
        {
            var expected = EveryKind[i];
            Assert.Equal((long)expected.TimeUnixNano, decoded[i].TimeUnixNano);
            Assert.Equal(expected.Quality, decoded[i].Quality);
            Assert.Equal(expected.StatusDetail, decoded[i].StatusDetail);
            switch (expected.ValueCase)
            {
                case Point.ValueOneofCase.Number:
                    // Bit for bit: NaN stays NaN, -0.0 stays negative zero.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Number), BitConverter.DoubleToInt64Bits(Assert.IsType<double>(decoded[i].Value)));
                    break;
                case Point.ValueOneofCase.Integer:
                    Assert.Equal(expected.Integer, Assert.IsType<long>(decoded[i].Value));
                    break;
                case Point.ValueOneofCase.Flag:
                    Assert.Equal(expected.Flag, Assert.IsType<bool>(decoded[i].Value));
                    break;
                case Point.ValueOneofCase.Text:
                    Assert.Equal(expected.Text, Assert.IsType<string>(decoded[i].Value));
                    break;
                default:
                    Assert.Null(decoded[i].Value);
                    break;
            }
        }
    }

    [Fact]
    public void Decode_BodyCutShortAtAnyByte_ThrowsInvalidData()
    {
        var (first, last) = Span(EveryKind);
        var body = PointBlockCodec.Encode(EveryKind, first);

        for (var length = 0; length < body.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => PointBlockCodec.Decode(body.AsSpan(0, length), first, last, EveryKind.Length, []));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void Decode_DamagedBodies_EachThrowsInvalidDataSayingWhat()
    {
        var points = new[] { Batches.Number(Tag, T0, 1), Batches.Text(Tag, T0 + 10, "ok") };
        var body = PointBlockCodec.Encode(points, T0);

        Assert.Contains("format 9", Decode(With(body, 0, 9), T0, T0 + 10, 2), StringComparison.Ordinal);
        Assert.Contains("row says 3", Decode(body, T0, T0 + 10, 3), StringComparison.Ordinal);
        Assert.Contains("unknown header", Decode(With(body, 2, 0x17), T0, T0 + 10, 2), StringComparison.Ordinal);
        Assert.Contains("outside the block", Decode(body, T0, T0 + 5, 2), StringComparison.Ordinal);
        Assert.Contains("follow the last point", Decode([.. body, 0], T0, T0 + 10, 2), StringComparison.Ordinal);

        // The text's length byte claims more than the body holds; then a byte that is not UTF-8.
        var textLength = body.Length - 3;
        Assert.Contains("claims 100 bytes", Decode(With(body, textLength, 100), T0, T0 + 10, 2), StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", Decode(With(body, body.Length - 1, 0xff), T0, T0 + 10, 2), StringComparison.Ordinal);

        // A varint that never ends.
        Assert.Contains("longer than 64 bits", Decode([PointBlockCodec.Format1, .. Enumerable.Repeat((byte)0xff, 12)], T0, T0, 1), StringComparison.Ordinal);
    }

    [Fact]
    public void ForEachBlock_LongOrLargeRuns_CutAtTheSpanAndCountLimits()
    {
        // 5000 points one second apart, out of order at one place: no block may span more than the limit.
        var points = Enumerable.Range(0, 5000).Select(i => Batches.Number(Tag, T0 + ((i == 10 ? 2000L : i) * 1_000_000_000), i)).ToList();
        var blocks = new List<(int Count, long First, long Last, long FirstTs)>();

        PointBlockCodec.ForEachBlock(points, [], blocks, static (into, run, first, last) => into.Add((run.Count, first, last, (long)run[0].TimeUnixNano)));

        Assert.Equal(points.Count, blocks.Sum(b => b.Count));
        Assert.All(blocks, b => Assert.InRange(b.Last - b.First, 0, PointBlockCodec.MaxSpanNanos));
        Assert.All(blocks, b => Assert.InRange(b.Count, 1, PointBlockCodec.MaxPoints));
        Assert.Equal(10, blocks[0].Count);

        var dense = Enumerable.Range(0, PointBlockCodec.MaxPoints + 1).Select(i => Batches.Number(Tag, T0 + i, i)).ToList();
        var counts = new List<int>();
        PointBlockCodec.ForEachBlock(dense, [], counts, static (into, run, _, _) => into.Add(run.Count));
        Assert.Equal([PointBlockCodec.MaxPoints, 1], counts);
    }

    private static string Decode(byte[] body, long first, long last, long count) =>
        Assert.Throws<InvalidDataException>(() => PointBlockCodec.Decode(body, first, last, count, [])).Message;

    private static byte[] With(byte[] body, int index, byte value)
    {
        var copy = (byte[])body.Clone();
        copy[index] = value;
        return copy;
    }

    private static (long First, long Last) Span(IEnumerable<Point> points) =>
        (points.Min(p => (long)p.TimeUnixNano), points.Max(p => (long)p.TimeUnixNano));
}
