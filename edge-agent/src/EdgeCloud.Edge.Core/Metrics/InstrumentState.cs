using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// What the exporter holds for one instrument: its series by tag set, at most
/// <see cref="MaxSeries"/> of them. Past that, measurements with new tag sets go into one
/// <c>overflow="true"</c> series (so sums stay right) and are counted in <see cref="Overflowed"/>.
/// Recording takes no lock: a concurrent dictionary searched with the tag span itself.
/// </summary>
internal sealed class InstrumentState
{
    private readonly ConcurrentDictionary<TagSet, MetricSeries> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, MetricSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly int _bucketCount;
    private MetricSeries? _overflow;
    private MetricSeries? _untagged;
    private int _count;
    private long _overflowed;

    public InstrumentState(Instrument instrument, InstrumentKind kind, int maxSeries)
    {
        Instrument = instrument;
        Kind = kind;
        MaxSeries = maxSeries;
        Name = PrometheusText.MetricName(instrument.Name, instrument.Unit, kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter);
        Bounds = kind == InstrumentKind.Histogram ? HistogramBuckets.For(instrument) : [];
        _bucketCount = kind == InstrumentKind.Histogram ? Bounds.Length + 1 : 0;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public Instrument Instrument { get; }

    public InstrumentKind Kind { get; }

    /// <summary>The Prometheus family name (with <c>_total</c> for counters).</summary>
    public string Name { get; }

    public double[] Bounds { get; }

    public int MaxSeries { get; }

    /// <summary>Measurements that went to the overflow series because the instrument had too many.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    public bool IsObservable => Kind is InstrumentKind.ObservableCounter or InstrumentKind.ObservableGauge;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        var series = Find(tags);
        switch (Kind)
        {
            case InstrumentKind.Counter:
            case InstrumentKind.UpDownCounter:
                series.Add(value);
                break;
            case InstrumentKind.Histogram:
                // NaN fits no bucket and would poison the sum.
                if (!double.IsNaN(value))
                {
                    series.Observe(value, HistogramBuckets.IndexOf(Bounds, value));
                }

                break;
            default:
                series.Set(value, generation);
                break;
        }
    }

    /// <summary>Every series, the overflow series last when there is one.</summary>
    public IEnumerable<MetricSeries> Series()
    {
        foreach (var pair in _series)
        {
            yield return pair.Value;
        }

        if (Volatile.Read(ref _overflow) is { } overflow)
        {
            yield return overflow;
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Most instruments are never tagged: skip hashing and the dictionary for them.
        if (tags.IsEmpty && Volatile.Read(ref _untagged) is { } untagged)
        {
            return untagged;
        }

        if (_lookup.TryGetValue(tags, out var series))
        {
            return series;
        }

        if (Interlocked.Increment(ref _count) > MaxSeries)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _overflowed);
            return Volatile.Read(ref _overflow)
                ?? Interlocked.CompareExchange(ref _overflow, new MetricSeries(TagSet.Overflow, _bucketCount), null)
                ?? _overflow;
        }

        var created = new MetricSeries(TagSet.Create(tags), _bucketCount);
        if (_series.TryAdd(created.Tags, created))
        {
            if (tags.IsEmpty)
            {
                Volatile.Write(ref _untagged, created);
            }

            return created;
        }

        // Another thread added the same tag set first: use its series.
        Interlocked.Decrement(ref _count);
        return _series[created.Tags];
    }
}
