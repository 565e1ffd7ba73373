namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// One timer for every poller with the same interval. Ten devices polled every 10 ms on timers
/// of their own woke the timer thread and a pool thread a thousand times a second, each to start
/// a single poll; in this VM every such wake-up costs more than the poll's own work. On a shared
/// tick the pollers start together, on the pool thread the timer fired on (their continuations
/// run synchronously up to each one's first I/O await), and their replies tend to arrive
/// together too.
/// </summary>
/// <remarks>
/// A poller that is still busy when a tick fires gets that tick as soon as it asks again, as with
/// <see cref="PeriodicTimer"/>: a slow poll is followed by the next one at once, and ticks missed
/// meanwhile are not queued up. Devices of one RTU bus still poll one after another: their master
/// serialises the requests.
/// </remarks>
internal sealed class PollClock : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private long _ticks;
    private TaskCompletionSource<bool> _next = new();
    private bool _disposed;

    public PollClock(TimeSpan interval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Interval = interval;
        _timer = time.CreateTimer(static state => ((PollClock)state!).Tick(), this, interval, interval);
    }

    public TimeSpan Interval { get; }

    /// <summary>A poller's place on this clock: the tick it saw last.</summary>
    public Follower Follow()
    {
        lock (_lock)
        {
            return new Follower(this, _ticks);
        }
    }

    /// <summary>Stops the clock: every waiting and later wait returns false.</summary>
    public void Dispose()
    {
        TaskCompletionSource<bool> waiting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiting = _next;
        }

        _timer.Dispose();
        waiting.TrySetResult(false);
    }

    private void Tick()
    {
        TaskCompletionSource<bool> fired;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _ticks++;
            fired = _next;
            _next = new TaskCompletionSource<bool>();
        }

        // Synchronous continuations, on purpose: each waiting poller starts its poll on this
        // thread and leaves it at its first I/O await.
        fired.TrySetResult(true);
    }

    private ValueTask<bool> WaitAsync(Follower follower)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.FromResult(false);
            }

            if (_ticks > follower.Seen)
            {
                // Ticked while the poller was busy: the next poll starts now.
                follower.Seen = _ticks;
                return ValueTask.FromResult(true);
            }

            follower.Seen = _ticks + 1;
            return new ValueTask<bool>(_next.Task);
        }
    }

    /// <summary>One poller's view of the clock.</summary>
    internal sealed class Follower(PollClock clock, long seen)
    {
        internal long Seen { get; set; } = seen;

        /// <summary>Waits for the next tick (or returns at once for one missed while busy); false once the clock stopped.</summary>
        public ValueTask<bool> WaitForNextTickAsync() => clock.WaitAsync(this);
    }
}
