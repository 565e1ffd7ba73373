namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// The acknowledged sequence sampled over the last minute (a fixed ring, never growing): when it
/// last moved and how fast it moves, for the backlog's ETA. Written by one sampler, read by
/// requests; thread-safe.
/// </summary>
internal sealed class AckProgress
{
    /// <summary>Samples kept: one a second for a minute.</summary>
    public const int Capacity = 60;

    private readonly Lock _lock = new();
    private readonly (DateTimeOffset At, ulong Sequence)[] _ring = new (DateTimeOffset, ulong)[Capacity];
    private int _count;
    private int _next;
    private DateTimeOffset? _lastMovedAt;

    /// <summary>When the acknowledged sequence last moved, if it did since the first sample.</summary>
    public DateTimeOffset? LastMovedAt
    {
        get
        {
            lock (_lock)
            {
                return _lastMovedAt;
            }
        }
    }

    public void Add(DateTimeOffset at, ulong sequence)
    {
        lock (_lock)
        {
            if (_count > 0 && sequence > Newest().Sequence)
            {
                _lastMovedAt = at;
            }

            _ring[_next] = (at, sequence);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>Acknowledged batches per second between the oldest and the newest sample; 0 with fewer than two.</summary>
    public double RatePerSecond()
    {
        lock (_lock)
        {
            if (_count < 2)
            {
                return 0;
            }

            var oldest = _ring[_count < Capacity ? 0 : _next];
            var newest = Newest();
            var seconds = (newest.At - oldest.At).TotalSeconds;
            return seconds <= 0 || newest.Sequence <= oldest.Sequence ? 0 : (newest.Sequence - oldest.Sequence) / seconds;
        }
    }

    private (DateTimeOffset At, ulong Sequence) Newest() => _ring[(_next + Capacity - 1) % Capacity];
}
