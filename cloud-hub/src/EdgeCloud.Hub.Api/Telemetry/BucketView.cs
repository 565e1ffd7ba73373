using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage.Rollups;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// One rollup bucket as JSON: <c>t</c> its start (ISO-8601 UTC), the count of good finite numeric points in it,
/// their min, max, avg, sum, and the last value with its time <c>lastT</c>.
/// </summary>
internal sealed record BucketView(string T, long Count, double Min, double Max, double Avg, double Sum, double Last, string LastT)
{
    public static BucketView From(RollupBucket bucket) => new(
        Iso8601.FormatUnixNanos(bucket.BucketUnixNano), bucket.Count, bucket.Min, bucket.Max, bucket.Avg, bucket.Sum, bucket.Last,
        Iso8601.FormatUnixNanos(bucket.LastTimeUnixNano));
}
