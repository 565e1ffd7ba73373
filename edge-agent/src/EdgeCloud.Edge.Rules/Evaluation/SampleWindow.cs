using EdgeCloud.Edge.Rules.Expressions;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// Time-stamped samples of one tag for the longest window any expression asks of it. Bounded:
/// samples older than that window are dropped as new ones come, and at most
/// <see cref="MaxSamples"/> are kept (the oldest go first), so a fast tag cannot grow it without end.
/// The ring grows by doubling up to that bound; no allocation once it has reached its working size.
/// </summary>
internal sealed class SampleWindow(TimeSpan span)
{
    /// <summary>Most samples kept per tag.</summary>
    public const int MaxSamples = 16_384;

    private long[] _ticks = new long[16];
    private double[] _values = new double[16];
    private int _start;
    private int _count;

    /// <summary>The longest window kept.</summary>
    public TimeSpan Span { get; private set; } = span;

    public int Count => _count;

    /// <summary>Makes the window keep at least <paramref name="span"/>.</summary>
    public void Require(TimeSpan span)
    {
        if (span > Span)
        {
            Span = span;
        }
    }

    public void Add(long ticks, double value)
    {
        var oldest = ticks - Span.Ticks;
        while (_count > 0 && _ticks[_start] < oldest)
        {
            _start = (_start + 1) % _ticks.Length;
            _count--;
        }

        if (_count == _ticks.Length)
        {
            if (_ticks.Length >= MaxSamples)
            {
                _start = (_start + 1) % _ticks.Length;
                _count--;
            }
            else
            {
                Grow();
            }
        }

        var at = (_start + _count) % _ticks.Length;
        _ticks[at] = ticks;
        _values[at] = value;
        _count++;
    }

    /// <summary>The aggregate of samples at or after <paramref name="fromTicks"/>; false when there are none.</summary>
    public bool TryAggregate(WindowFunction function, long fromTicks, out double result)
    {
        double sum = 0, sumSquares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        var n = 0;
        for (var i = _count - 1; i >= 0; i--)
        {
            var at = (_start + i) % _ticks.Length;
            if (_ticks[at] < fromTicks)
            {
                break;
            }

            var v = _values[at];
            sum += v;
            sumSquares += v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            n++;
        }

        if (n == 0)
        {
            result = double.NaN;
            return false;
        }

        var mean = sum / n;
        result = function switch
        {
            WindowFunction.Avg => mean,
            WindowFunction.Min => min,
            WindowFunction.Max => max,
            _ => Math.Sqrt(Math.Max(0, (sumSquares / n) - (mean * mean))),
        };
        return true;
    }

    private void Grow()
    {
        var size = Math.Min(MaxSamples, _ticks.Length * 2);
        var ticks = new long[size];
        var values = new double[size];
        for (var i = 0; i < _count; i++)
        {
            ticks[i] = _ticks[(_start + i) % _ticks.Length];
            values[i] = _values[(_start + i) % _values.Length];
        }

        _ticks = ticks;
        _values = values;
        _start = 0;
    }
}
