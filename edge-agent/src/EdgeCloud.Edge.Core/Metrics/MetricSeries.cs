namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// One series (an instrument and one tag set). Updates are lock-free: a compare-and-swap loop for
/// doubles, <see cref="Interlocked"/> for bucket counts, so many threads can record at once.
/// A histogram's buckets hold per-bucket (not cumulative) counts; the renderer accumulates them.
/// </summary>
internal sealed class MetricSeries
{
    private readonly long[]? _buckets;
    private double _value;
    private double _sum;
    private long _generation;

    public MetricSeries(TagSet tags, int bucketCount)
    {
        Tags = tags;
        _buckets = bucketCount > 0 ? new long[bucketCount] : null;
    }

    public TagSet Tags { get; }

    /// <summary>The sum (counters), the last value (gauges), or a histogram's sum.</summary>
    public double Value => Volatile.Read(ref _buckets is null ? ref _value : ref _sum);

    /// <summary>The scrape in which an observable instrument last reported this series.</summary>
    public long Generation => Volatile.Read(ref _generation);

    public void Add(double delta) => AddTo(ref _value, delta);

    public void Set(double value, long generation)
    {
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _generation, generation);
    }

    public void Observe(double value, int bucket)
    {
        Interlocked.Increment(ref _buckets![bucket]);
        AddTo(ref _sum, value);
    }

    /// <summary>Copies the per-bucket counts into <paramref name="counts"/> (same length as the bounds plus one).</summary>
    public void CopyBuckets(Span<long> counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets![i]);
        }
    }

    private static void AddTo(ref double target, double delta)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + delta, current);
            // Bitwise, as the exchange compares: 0.0 and -0.0 are Equal but not the same bits.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
