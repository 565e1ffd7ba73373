using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// The bounded queue between the sources and the outbox. Overflow policy: <b>back-pressure</b>:
/// a source that finds it full waits, so its next poll starts late instead of the agent's memory
/// growing or points being dropped silently; every such wait is counted in
/// <c>edge_pipeline_backpressure_waits</c>.
/// </summary>
/// <remarks>
/// One item per publish (a poll's points, copied into a pooled array), not one per point: a poll
/// costs one lock and no allocation, and the reader is woken only when it asked to be (see
/// <see cref="WaitToReadAsync"/>), never per point. The bound is in points: a chunk enters when the
/// queued points plus its own fit in the capacity (a publish larger than the capacity goes in
/// pieces of at most the capacity); waiting sources enter in the order they came. The reader is
/// single (the outbox's batcher): it takes points with <see cref="Peek"/> and
/// <see cref="Advance"/>; the points it holds are no longer counted against the bound, so at most
/// the capacity plus one chunk is in memory.
/// </remarks>
public sealed partial class PointPipeline : IPointSink
{
    /// <summary>Name of the pipeline's meter.</summary>
    public const string MeterName = "EdgeCloud.Edge.Pipeline";

    /// <summary>Default capacity in points.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Queue<Chunk> _queue = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly Counter<long> _published;
    private readonly Counter<long> _waits;
    private readonly Counter<long> _readerWakes;
    private int _queued;
    private bool _completed;
    private TaskCompletionSource<bool>? _readerWait;
    private int _readerWants;
    private TimeSpan _readerMaxAge;

    // The reader's side: the chunk it is taking points from (owned by the reader, outside the bound).
    private Chunk _current;
    private int _currentAt;
    private int _currentLeft;

    /// <summary>Creates the pipeline with room for <paramref name="capacity"/> points.</summary>
    public PointPipeline(IMeterFactory meters, TimeProvider? time = null, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>("edge_pipeline_points_published", "{point}", "Points handed to the pipeline by sources");
        _waits = meter.CreateCounter<long>("edge_pipeline_backpressure_waits", "{wait}", "Times a source waited because the pipeline was full");
        meter.CreateObservableGauge("edge_pipeline_queued_points", () => QueuedPoints, "{point}", "Points waiting in the pipeline");
        _readerWakes = meter.CreateCounter<long>("edge_pipeline_reader_wakes", "{wake}", "Times a source's publish woke the reader (a batch's worth queued, the oldest point old enough, or the first point after idle)");
    }

    /// <summary>Points published and not yet taken by the reader (those in the reader's current chunk included).</summary>
    public int QueuedPoints => Volatile.Read(ref _queued) + Volatile.Read(ref _currentLeft);

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        for (var at = 0; at < points.Count; at += _capacity)
        {
            var chunk = Copy(points, at, Math.Min(_capacity, points.Count - at));
            var waiter = TryEnter(chunk);
            if (waiter is not null)
            {
                _waits.Add(1);
                await waiter.WaitAsync(this, cancellationToken);
            }
        }

        _published.Add(points.Count);
    }

    /// <summary>
    /// Waits until at least <paramref name="minPoints"/> points are queued, or a source publishes
    /// when the oldest queued point is <paramref name="maxAge"/> old (or any point, once the
    /// pipeline is complete); false when it is complete and empty. Reader only. The wake-up comes
    /// from the publishing source, and the reader's continuation runs on that source's thread
    /// before its publish returns, without waking another thread; a point that no later publish
    /// follows is the reader's to find with its own timer. A wait still pending from an earlier call is
    /// shared, with the newest conditions: the reader may keep it across a timeout instead of
    /// cancelling it.
    /// </summary>
    public Task<bool> WaitToReadAsync(int minPoints, TimeSpan? maxAge = null)
    {
        using (_lock.EnterScope())
        {
            var age = maxAge ?? TimeSpan.MaxValue;
            if (_currentLeft > 0 || _queued >= Math.Max(1, minPoints) || (_completed && _queued > 0) || (_queue.Count > 0 && Old(_time.GetUtcNow(), age)))
            {
                return Task.FromResult(true);
            }

            if (_completed)
            {
                return Task.FromResult(false);
            }

            _readerWants = Math.Max(1, minPoints);
            _readerMaxAge = age;
            // Synchronous continuations, on purpose: the publish that wakes the reader runs the
            // reader's next run (at most a batch) on its own thread, outside the lock, before its
            // PublishAsync returns. Queuing it to the pool instead woke a second thread per wake-up,
            // which is what this pipeline exists to avoid.
            return (_readerWait ??= new TaskCompletionSource<bool>()).Task;
        }
    }

    /// <summary>
    /// The points the reader may take next, in order (empty: none queued), and when they were
    /// published. Reader only; the span is valid until <see cref="Advance"/>.
    /// </summary>
    public ReadOnlySpan<DataPoint> Peek(out DateTimeOffset publishedAt)
    {
        if (_currentLeft == 0 && !TakeNextChunk())
        {
            publishedAt = default;
            return [];
        }

        publishedAt = _current.PublishedAt;
        return _current.Points.AsSpan(_currentAt, _currentLeft);
    }

    /// <summary>Marks the first <paramref name="count"/> points of the last <see cref="Peek"/> as taken. Reader only.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _currentLeft);
        _currentAt += count;
        Volatile.Write(ref _currentLeft, _currentLeft - count);
        if (_currentLeft == 0 && _current.Points is not null)
        {
            Return(_current);
            _current = default;
            _currentAt = 0;
        }
    }

    /// <summary>No more points will come (shutdown): lets the reader drain and finish.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? reader;
        using (_lock.EnterScope())
        {
            _completed = true;
            reader = _readerWait;
            _readerWait = null;
        }

        reader?.TrySetResult(QueuedPoints > 0);
    }

    /// <summary>Queues <paramref name="chunk"/> if it fits and nobody waits before it, else returns the wait it joined.</summary>
    private Waiter? TryEnter(Chunk chunk)
    {
        TaskCompletionSource<bool>? reader = null;
        Waiter? waiter = null;
        using (_lock.EnterScope())
        {
            if (_completed)
            {
                Return(chunk);
                throw new InvalidOperationException("the point pipeline is complete: no source may publish after shutdown began");
            }

            if (_waiters.Count == 0 && _queued + chunk.Count <= _capacity)
            {
                _queue.Enqueue(chunk);
                _queued += chunk.Count;
                if (_readerWait is not null && (_queued >= _readerWants || Old(chunk.PublishedAt, _readerMaxAge)))
                {
                    (reader, _readerWait) = (_readerWait, null);
                }
            }
            else
            {
                waiter = new Waiter(chunk);
                _waiters.Enqueue(waiter);
            }
        }

        if (reader is not null)
        {
            _readerWakes.Add(1);
            reader.TrySetResult(true);
        }

        return waiter;
    }

    /// <summary>True when the oldest queued chunk was published <paramref name="age"/> or longer before <paramref name="now"/>; under the lock.</summary>
    private bool Old(DateTimeOffset now, TimeSpan age) =>
        age != TimeSpan.MaxValue && now - _queue.Peek().PublishedAt >= age;

    /// <summary>Moves the next queued chunk to the reader's side and lets waiting sources in as room frees.</summary>
    private bool TakeNextChunk()
    {
        List<Waiter>? admitted = null;
        using (_lock.EnterScope())
        {
            if (!_queue.TryDequeue(out var next))
            {
                return false;
            }

            _queued -= next.Count;
            (_current, _currentAt) = (next, 0);
            Volatile.Write(ref _currentLeft, next.Count);
            while (_waiters.TryPeek(out var waiter))
            {
                if (waiter.Cancelled)
                {
                    _waiters.Dequeue();
                    continue;
                }

                if (_queued + waiter.Chunk.Count > _capacity)
                {
                    break;
                }

                _waiters.Dequeue();
                waiter.Admitted = true;
                _queue.Enqueue(waiter.Chunk);
                _queued += waiter.Chunk.Count;
                (admitted ??= []).Add(waiter);
            }
        }

        // Outside the lock: a source's continuation runs on the thread pool, not here.
        foreach (var waiter in admitted ?? [])
        {
            waiter.TrySetResult();
        }

        return true;
    }
}
