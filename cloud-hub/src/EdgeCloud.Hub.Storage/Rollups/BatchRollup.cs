using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>
/// One batch's points folded into rollup buckets before they touch the database, so that a store writes one
/// upsert per (tag, bucket, level) instead of one per point; the database then merges each into the stored
/// bucket with <see cref="RollupBucket.Merge"/>'s rules. Keys keep the order in which they first appear.
/// </summary>
public static class BatchRollup
{
    /// <summary>Both levels of every tag the batch has countable points for.</summary>
    public static IReadOnlyList<KeyValuePair<RollupKey, RollupBucket>> Fold(TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var buckets = new Dictionary<RollupKey, RollupBucket>();
        var order = new List<RollupKey>();
        foreach (var point in batch.Points)
        {
            if (!TryValue(point, out var value))
            {
                continue;
            }

            var ts = (long)point.TimeUnixNano;
            Add(buckets, order, new RollupKey(point.Tag, RollupResolution.OneMinute, BucketStart(ts, RollupResolution.OneMinute)), ts, value);
            Add(buckets, order, new RollupKey(point.Tag, RollupResolution.OneHour, BucketStart(ts, RollupResolution.OneHour)), ts, value);
        }

        // A compacted batch's rollups (windows that divide a minute, validated) merge like its points would have.
        foreach (var rollup in batch.Rollups)
        {
            var start = (long)rollup.WindowStartUnixNano;
            var folded = new RollupBucket(0, (long)rollup.Count, rollup.Min, rollup.Max, rollup.Sum, rollup.Last, (long)rollup.LastTimeUnixNano);
            Merge(buckets, order, new RollupKey(rollup.Tag, RollupResolution.OneMinute, BucketStart(start, RollupResolution.OneMinute)), folded);
            Merge(buckets, order, new RollupKey(rollup.Tag, RollupResolution.OneHour, BucketStart(start, RollupResolution.OneHour)), folded);
        }

        return [.. order.Select(k => new KeyValuePair<RollupKey, RollupBucket>(k, buckets[k]))];
    }

    /// <summary>The value a point contributes to rollups; false when it contributes none.</summary>
    public static bool TryValue(Point point, out double value)
    {
        ArgumentNullException.ThrowIfNull(point);
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

    /// <summary>Start of the bucket holding <paramref name="unixNano"/> (floor, also before 1970).</summary>
    public static long BucketStart(long unixNano, RollupResolution resolution)
    {
        var width = Width(resolution);
        return unixNano - (((unixNano % width) + width) % width);
    }

    /// <summary>The bucket width in nanoseconds.</summary>
    public static long Width(RollupResolution resolution) => (long)resolution * 1_000_000_000L;

    private static void Add(Dictionary<RollupKey, RollupBucket> buckets, List<RollupKey> order, RollupKey key, long ts, double value) =>
        Merge(buckets, order, key, new RollupBucket(key.BucketUnixNano, 1, value, value, value, value, ts));

    private static void Merge(Dictionary<RollupKey, RollupBucket> buckets, List<RollupKey> order, RollupKey key, RollupBucket incoming)
    {
        var single = incoming with { BucketUnixNano = key.BucketUnixNano };
        if (buckets.TryGetValue(key, out var existing))
        {
            buckets[key] = existing.Merge(single);
        }
        else
        {
            buckets.Add(key, single);
            order.Add(key);
        }
    }
}
