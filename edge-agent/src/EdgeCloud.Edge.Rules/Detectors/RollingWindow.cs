namespace EdgeCloud.Edge.Rules.Detectors;

/// <summary>
/// The last <c>capacity</c> samples of a tag: the detectors' automatic baseline. Mean and
/// standard deviation come from running sums, recomputed from the samples every
/// <c>capacity</c> additions so rounding error cannot build up. Fixed size, no allocation after construction.
/// </summary>
internal sealed class RollingWindow(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _next;
    private int _sinceRecompute;
    private double _sum;
    private double _sumSquares;

    public int Count { get; private set; }

    public double Mean => _sum / Count;

    public double StdDev => Math.Sqrt(Math.Max(0, (_sumSquares / Count) - (Mean * Mean)));

    public void Add(double value)
    {
        if (Count == _values.Length)
        {
            var old = _values[_next];
            _sum -= old;
            _sumSquares -= old * old;
        }
        else
        {
            Count++;
        }

        _values[_next] = value;
        _sum += value;
        _sumSquares += value * value;
        _next = (_next + 1) % _values.Length;
        if (++_sinceRecompute >= _values.Length)
        {
            Recompute();
        }
    }

    /// <summary>First and third quartiles (linear interpolation between closest ranks).</summary>
    public (double Q1, double Q3) Quartiles()
    {
        var sorted = _sorted.AsSpan(0, Count);
        _values.AsSpan(0, Count).CopyTo(sorted);
        sorted.Sort();
        return (Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private void Recompute()
    {
        _sinceRecompute = 0;
        _sum = 0;
        _sumSquares = 0;
        for (var i = 0; i < Count; i++)
        {
            _sum += _values[i];
            _sumSquares += _values[i] * _values[i];
        }
    }
}
