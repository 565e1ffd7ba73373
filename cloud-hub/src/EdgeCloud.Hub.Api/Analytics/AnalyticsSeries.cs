using EdgeCloud.Hub.Api.Telemetry;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// The numeric series analytics work on, read with the query API's paging: raw points of good quality with a
/// finite number, integer or flag (the values rollups count), or a rollup's bucket averages at the bucket's middle.
/// </summary>
internal static class AnalyticsSeries
{
    /// <summary>(time Unix nanoseconds, value) in time order, at most <c>query.Limit</c>, and whether more were left.</summary>
    public static async Task<(List<(long T, double V)> Values, bool Truncated)> ReadAsync(
        ITelemetryStore store, ITelemetryRollups rollups, TelemetryQuery query, CancellationToken cancellationToken)
    {
        // One more than the limit tells whether the range holds more.
        var probe = query with { Limit = query.Limit + 1 };
        var values = new List<(long T, double V)>();
        if (QueryResolutions.Rollup(query.Effective) is { } level)
        {
            var half = BatchRollup.Width(level) / 2;
            await foreach (var bucket in TelemetryPages.ReadBucketsAsync(rollups, probe, level, cancellationToken))
            {
                values.Add((bucket.BucketUnixNano + half, bucket.Avg));
            }
        }
        else
        {
            // Points that carry no countable value do not use up the limit's budget of values.
            await foreach (var point in TelemetryPages.ReadPointsAsync(store, probe with { Limit = TelemetryExportEndpoints.MaxRows }, cancellationToken))
            {
                if (TryNumber(point, out var value))
                {
                    values.Add((point.TimeUnixNano, value));
                    if (values.Count > query.Limit)
                    {
                        break;
                    }
                }
            }
        }

        var truncated = values.Count > query.Limit;
        if (truncated)
        {
            values.RemoveAt(values.Count - 1);
        }

        return (values, truncated);
    }

    /// <summary>Pairs each value of <paramref name="a"/> with <paramref name="b"/>'s: same time for rollups, else b's latest at or before it.</summary>
    public static List<(double A, double B)> Pair(List<(long T, double V)> a, List<(long T, double V)> b, bool sameTimeOnly)
    {
        var pairs = new List<(double, double)>();
        var j = -1;
        foreach (var (t, v) in a)
        {
            while (j + 1 < b.Count && b[j + 1].T <= t)
            {
                j++;
            }

            if (j >= 0 && (!sameTimeOnly || b[j].T == t))
            {
                pairs.Add((v, b[j].V));
            }
        }

        return pairs;
    }

    private static bool TryNumber(StoredPoint point, out double value)
    {
        value = point.Value switch
        {
            double d => d,
            long l => l,
            bool f => f ? 1 : 0,
            _ => double.NaN,
        };
        return point.Quality == Quality.Good && double.IsFinite(value);
    }
}
