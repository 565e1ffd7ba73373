namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// A bounded FIFO of samples (rows of floats with their timestamp and quality flag) in one
/// pre-allocated ring. Overflow policy: <b>drop the newest</b>, counted (a model that falls behind
/// must not slow the data path). Not thread-safe: its <see cref="ModelInputState"/> guards it.
/// </summary>
internal sealed class SampleQueue
{
    private readonly float[] _rows;
    private readonly DateTimeOffset[] _stamps;
    private readonly bool[] _uncertain;
    private readonly int _rowLength;
    private int _head;

    public SampleQueue(int capacity, int rowLength)
    {
        _rowLength = rowLength;
        _rows = new float[capacity * rowLength];
        _stamps = new DateTimeOffset[capacity];
        _uncertain = new bool[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _stamps.Length;

    /// <summary>A slot for the next row, or an empty span when the queue is full.</summary>
    public Span<float> Reserve(DateTimeOffset stamp, bool uncertain)
    {
        if (Count == Capacity)
        {
            return [];
        }

        var slot = (_head + Count) % Capacity;
        _stamps[slot] = stamp;
        _uncertain[slot] = uncertain;
        Count++;
        return _rows.AsSpan(slot * _rowLength, _rowLength);
    }

    /// <summary>Moves up to <paramref name="max"/> samples, oldest first, into the spans; returns how many.</summary>
    public int Take(Span<float> rows, Span<DateTimeOffset> stamps, Span<bool> uncertain, int max)
    {
        var n = Math.Min(max, Count);
        for (var i = 0; i < n; i++)
        {
            _rows.AsSpan(_head * _rowLength, _rowLength).CopyTo(rows[(i * _rowLength)..]);
            stamps[i] = _stamps[_head];
            uncertain[i] = _uncertain[_head];
            _head = (_head + 1) % Capacity;
        }

        Count -= n;
        return n;
    }
}
