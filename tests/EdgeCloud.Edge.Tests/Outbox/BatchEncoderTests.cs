using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Points;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Tests.Outbox;

public sealed class BatchEncoderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);

    public static TheoryData<string> Cases => ["every kind", "bad qualities", "edges", "long names", "empty"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_Points_IsByteForByteTheGeneratedEncoding(string name)
    {
        var points = Points(name);

        foreach (var (sealedAt, synchronized) in new[] { (1_764_000_000_123_456_789L, true), (0L, false), (-5L, true) })
        {
            var encoded = BatchEncoder.Encode(points, sealedAt, synchronized);

            var expected = new TelemetryBatch { SealedUnixNano = (ulong)sealedAt, ClockSynchronized = synchronized };
            expected.Points.AddRange(points.Select(BatchEncoder.ToWire));
            Assert.Equal(expected.ToByteArray(), encoded);
            Assert.Equal(expected, TelemetryBatch.Parser.ParseFrom(encoded));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_WithAnAddressCache_WritesTheSameBytesAsWithout(string name)
    {
        var points = Points(name);
        var addresses = new AddressCache();

        // Cold, then warm (the entries' order learned), then with the same names as other string
        // instances (found by instance: new entries), then in reverse order (the learned order misses).
        var again = points.Select(p => p with { Device = new string(p.Device.AsSpan()), Tag = new string(p.Tag.AsSpan()) }).ToList();
        var reversed = Enumerable.Reverse(points).ToList();
        foreach (var batch in new[] { points, points, again, reversed, points })
        {
            Assert.Equal(BatchEncoder.Encode(batch, 7, clockSynchronized: true), BatchEncoder.Encode(batch, 7, clockSynchronized: true, addresses));
        }

        Assert.Equal(2 * points.Count, addresses.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_WithSizesCountedByTheCaller_WritesTheSameBytesAndRefusesACountThatDoesNotMatch(string name)
    {
        // The batcher counts each point's size as it fills a batch and hands them over.
        var points = Points(name);
        var sizes = points.Select(p => BatchEncoder.PointSize(p)).ToArray();

        Assert.Equal(BatchEncoder.Encode(points, 7, clockSynchronized: true), BatchEncoder.Encode(points, sizes, 7, clockSynchronized: true, new AddressCache()));
        Assert.Throws<ArgumentException>(() => BatchEncoder.Encode(points, [.. sizes, 1], 7, clockSynchronized: true));
    }

    [Fact]
    public void Encode_AddressCacheFull_EncodesTheRestItselfAndKeepsTheBound()
    {
        var addresses = new AddressCache();
        var points = Enumerable.Range(0, AddressCache.MaxEntries + 50)
            .Select(i => new DataPoint("plc-ä", $"r{i}-µ", At, TagValue.FromNumber(i), PointQuality.Good))
            .ToList();

        var encoded = BatchEncoder.Encode(points, 7, clockSynchronized: false, addresses);

        Assert.Equal(BatchEncoder.Encode(points, 7, clockSynchronized: false), encoded);
        Assert.Equal(AddressCache.MaxEntries, addresses.Count);
        Assert.Null(addresses.Find("plc-ä", "not cached"));

        addresses.Clear();

        Assert.Equal("plc-ä/again"u8.ToArray(), addresses.Find("plc-ä", "again"));
        Assert.Equal(1, addresses.Count);
    }

    private static List<DataPoint> Points(string name) => name switch
    {
        "every kind" =>
        [
            new("plc01", "temp", At, TagValue.FromNumber(21.5), PointQuality.Good),
            new("plc01", "count", At.AddTicks(1), TagValue.FromInteger(42), PointQuality.Good),
            new("plc01", "delta", At, TagValue.FromInteger(-42), PointQuality.Good),
            new("plc01", "run", At, TagValue.FromFlag(true), PointQuality.Good),
            new("plc01", "stop", At, TagValue.FromFlag(false), PointQuality.Good),
            new("plc01", "mode", At, TagValue.FromText("auto"), PointQuality.Good),
            new("plc01", "none", At, TagValue.None, PointQuality.Good),
        ],
        "bad qualities" =>
        [
            new("plc02", "r000", At, TagValue.None, PointQuality.BadDeviceException, StatusDetail: 2),
            new("plc02", "r001", At, TagValue.None, PointQuality.BadNotConnected),
            new("plc02", "r002", At, TagValue.FromNumber(1), PointQuality.Uncertain, StatusDetail: uint.MaxValue),
            new("plc02", "r003", At, TagValue.None, PointQuality.BadTimeout, StatusDetail: 300),
        ],
        "edges" =>
        [
            new("d", "zero", DateTimeOffset.UnixEpoch, TagValue.FromNumber(0), PointQuality.Good),
            new("d", "before-epoch", DateTimeOffset.UnixEpoch.AddDays(-1), TagValue.FromNumber(double.NaN), PointQuality.Good),
            new("d", "min", At, TagValue.FromInteger(long.MinValue), PointQuality.Good),
            new("d", "max", At, TagValue.FromInteger(long.MaxValue), PointQuality.Good),
            new("d", "int-zero", At, TagValue.FromInteger(0), PointQuality.Good),
            new("d", "neg-zero", At, TagValue.FromNumber(-0.0), PointQuality.Good),
            new("d", "inf", At, TagValue.FromNumber(double.NegativeInfinity), PointQuality.Good),
            new("d", "empty-text", At, TagValue.FromText(string.Empty), PointQuality.Good),
            new("Kessel-ß", "température/°C", At, TagValue.FromText("Überdruck ⚠ 🔥"), PointQuality.Good),
        ],
        "long names" =>
        [
            new(new string('d', 70), new string('t', 70), At, TagValue.FromNumber(1), PointQuality.Good),
            new("plc", new string('x', 20_000), At, TagValue.FromText(new string('v', 200_000)), PointQuality.Good),
        ],
        _ => [],
    };
}
