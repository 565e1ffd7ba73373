namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>
/// The statistics of one tag over one bucket [<see cref="BucketUnixNano"/>, start + width). Only points of
/// good quality with a finite numeric value count (numbers, integers as doubles, flags as 0/1); text,
/// bad or uncertain points, NaN and infinities do not, so <see cref="Count"/> is always at least 1.
/// <see cref="Last"/> is the value at the latest time (<see cref="LastTimeUnixNano"/>); at equal times the
/// one that arrived last wins.
/// </summary>
/// <param name="BucketUnixNano">Start of the bucket, Unix nanoseconds.</param>
/// <param name="Count">Points counted.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Sum">Sum of the values.</param>
/// <param name="Last">Value of the latest point.</param>
/// <param name="LastTimeUnixNano">Time of the latest point.</param>
public readonly record struct RollupBucket(long BucketUnixNano, long Count, double Min, double Max, double Sum, double Last, long LastTimeUnixNano)
{
    /// <summary>The mean of the counted values.</summary>
    public double Avg => Sum / Count;

    /// <summary>The two buckets of the same span merged, as a later batch merges into a stored bucket.</summary>
    public RollupBucket Merge(RollupBucket later) => new(
        BucketUnixNano,
        Count + later.Count,
        Math.Min(Min, later.Min),
        Math.Max(Max, later.Max),
        Sum + later.Sum,
        later.LastTimeUnixNano >= LastTimeUnixNano ? later.Last : Last,
        Math.Max(LastTimeUnixNano, later.LastTimeUnixNano));
}
