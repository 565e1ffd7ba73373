using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// Bucket upper bounds of a histogram: the instrument's advice when it gives some, else latency
/// buckets in the instrument's unit (seconds or milliseconds), else OpenTelemetry's default set.
/// Bounds are finite, strictly increasing; the implicit last bucket is +Inf.
/// </summary>
internal static class HistogramBuckets
{
    private static readonly double[] Seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] Milliseconds = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly double[] Default = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] For(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        if (advised is { Length: > 0 } && IsValid(advised))
        {
            return advised;
        }

        return instrument.Unit switch
        {
            "s" => Seconds,
            "ms" => Milliseconds,
            _ => Default,
        };
    }

    /// <summary>The index of the bucket <paramref name="value"/> falls in (bounds are inclusive upper bounds, as <c>le</c> says).</summary>
    public static int IndexOf(double[] bounds, double value)
    {
        var index = Array.BinarySearch(bounds, value);
        return index >= 0 ? index : ~index;
    }

    private static bool IsValid(double[] bounds)
    {
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return false;
            }
        }

        return true;
    }
}
