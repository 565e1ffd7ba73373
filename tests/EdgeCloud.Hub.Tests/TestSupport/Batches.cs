using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>Builders for wire batches and points.</summary>
internal static class Batches
{
    /// <summary>2023-11-14T22:13:20Z in Unix nanoseconds: a round base time for tests.</summary>
    public const long BaseNanos = 1_700_000_000_000_000_000;

    public static TelemetryBatch Create(ulong sequence, params Point[] points)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        batch.Points.AddRange(points);
        return batch;
    }

    /// <summary>A batch of <paramref name="count"/> numeric points of one tag, one per millisecond after <paramref name="startNanos"/>.</summary>
    public static TelemetryBatch Numbers(ulong sequence, string tag, long startNanos, int count)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        for (var i = 0; i < count; i++)
        {
            batch.Points.Add(Number(tag, startNanos + (i * 1_000_000L), i + (sequence * 1000.0)));
        }

        return batch;
    }

    public static Point Number(string tag, long nanos, double value, Quality quality = Quality.Good) =>
        new() { Tag = tag, TimeUnixNano = (ulong)nanos, Number = value, Quality = quality };

    public static Point Integer(string tag, long nanos, long value) => new() { Tag = tag, TimeUnixNano = (ulong)nanos, Integer = value };

    public static Point Flag(string tag, long nanos, bool value) => new() { Tag = tag, TimeUnixNano = (ulong)nanos, Flag = value };

    public static Point Text(string tag, long nanos, string value) => new() { Tag = tag, TimeUnixNano = (ulong)nanos, Text = value };

    public static Point Bad(string tag, long nanos, Quality quality, uint detail) =>
        new() { Tag = tag, TimeUnixNano = (ulong)nanos, Quality = quality, StatusDetail = detail };
}
