using EdgeCloud.Edge.Points;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// Turns points into the wire form of a <see cref="TelemetryBatch"/> (sequence left 0: the
/// outbox assigns it when the batch becomes durable, and sync sets it on the way out).
/// </summary>
internal static class BatchEncoder
{
    public static byte[] Encode(IReadOnlyList<DataPoint> points, long sealedAtUnixNano, bool clockSynchronized)
    {
        var batch = new TelemetryBatch { SealedUnixNano = (ulong)sealedAtUnixNano, ClockSynchronized = clockSynchronized };
        foreach (var point in points)
        {
            batch.Points.Add(ToWire(point));
        }

        return batch.ToByteArray();
    }

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
}
