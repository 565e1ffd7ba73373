namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// Descriptive statistics of a sample. Percentiles interpolate linearly between the two nearest ranks
/// (Hyndman and Fan's definition 7, what numpy and Excel's PERCENTILE.INC compute); the standard deviation
/// is the sample one (n - 1), computed with Welford's update so large offsets do not cancel.
/// </summary>
internal static class Statistics
{
    public static StatsView? Describe(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        double mean = 0, m2 = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var delta = values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (values[i] - mean);
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new StatsView(
            values.Count,
            mean,
            values.Count > 1 ? Math.Sqrt(m2 / (values.Count - 1)) : null,
            sorted[0],
            sorted[^1],
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.99));
    }

    /// <summary>The <paramref name="p"/> quantile (0..1) of an ascending, non-empty array.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>Pearson's correlation of paired samples; null with fewer than 3 pairs or a constant side.</summary>
    public static double? Pearson(IReadOnlyList<(double A, double B)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count < 3)
        {
            return null;
        }

        var meanA = pairs.Average(p => p.A);
        var meanB = pairs.Average(p => p.B);
        double sab = 0, saa = 0, sbb = 0;
        foreach (var (a, b) in pairs)
        {
            sab += (a - meanA) * (b - meanB);
            saa += (a - meanA) * (a - meanA);
            sbb += (b - meanB) * (b - meanB);
        }

        return saa > 0 && sbb > 0 ? Math.Clamp(sab / Math.Sqrt(saa * sbb), -1, 1) : null;
    }
}
