using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Outbox.Compaction;

/// <summary>
/// Folds a stored raw telemetry batch into the compacted entry the hub stores as rollups
/// (<c>TelemetryBatch.compacted</c> of sync.proto): per tag and window, count/min/max/sum/last of its
/// good, finite numeric points (flags as 0/1, the hub's rollup rule). Points that do not fold into a
/// number (bad or uncertain quality, text, NaN) stay raw in the entry: compaction never turns a
/// missing or textual value into a statistic, nor loses it.
/// </summary>
internal static class BatchCompactor
{
    /// <summary>
    /// The compacted entry for the raw batch <paramref name="payload"/> stored under
    /// <paramref name="sequence"/>, or null when the payload is not a telemetry batch this agent wrote
    /// (it is then left as it is).
    /// </summary>
    public static TelemetryBatch? Compact(ulong sequence, byte[] payload, int windowSeconds)
    {
        TelemetryBatch raw;
        try
        {
            raw = TelemetryBatch.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }

        if (raw.Compacted.Count > 0)
        {
            return null;
        }

        var entry = new TelemetryBatch { Sequence = sequence, SealedUnixNano = raw.SealedUnixNano, ClockSynchronized = raw.ClockSynchronized };
        entry.Alarms.Add(raw.Alarms);
        var width = windowSeconds * 1_000_000_000L;
        var windows = new Dictionary<(string Tag, long Start), Rollup>();
        ulong compacted = 0;
        foreach (var point in raw.Points)
        {
            if (!TryValue(point, out var value))
            {
                entry.Points.Add(point);
                continue;
            }

            var time = (long)point.TimeUnixNano;
            var start = time - (((time % width) + width) % width);
            if (!windows.TryGetValue((point.Tag, start), out var rollup))
            {
                rollup = new Rollup
                {
                    Tag = point.Tag,
                    WindowStartUnixNano = (ulong)start,
                    WindowSeconds = (uint)windowSeconds,
                    Min = value,
                    Max = value,
                    Last = value,
                    LastTimeUnixNano = point.TimeUnixNano,
                };
                windows.Add((point.Tag, start), rollup);
                entry.Rollups.Add(rollup);
            }

            rollup.Count++;
            rollup.Min = Math.Min(rollup.Min, value);
            rollup.Max = Math.Max(rollup.Max, value);
            rollup.Sum += value;
            if (point.TimeUnixNano >= rollup.LastTimeUnixNano)
            {
                // At equal times the later point of the batch wins, as at the hub.
                rollup.Last = value;
                rollup.LastTimeUnixNano = point.TimeUnixNano;
            }

            compacted++;
        }

        entry.CompactedPoints = compacted;
        return entry;
    }

    /// <summary>The value a point contributes to a rollup (the hub's rule); false when none.</summary>
    private static bool TryValue(Point point, out double value)
    {
        value = 0;
        if (point.Quality != Quality.Good)
        {
            return false;
        }

        value = point.ValueCase switch
        {
            Point.ValueOneofCase.Number => point.Number,
            Point.ValueOneofCase.Integer => point.Integer,
            Point.ValueOneofCase.Flag => point.Flag ? 1 : 0,
            _ => double.NaN,
        };
        return double.IsFinite(value);
    }
}
