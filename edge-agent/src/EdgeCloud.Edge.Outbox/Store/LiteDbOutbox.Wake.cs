namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// How the writer thread sleeps and is woken. It used to block on
/// <c>WaitToReadAsync().AsTask().Wait(timeout)</c>, and <see cref="Task.Wait(TimeSpan)"/> spins
/// (SpinWait, sched_yield) before it blocks: at 100-500 wake-ups a second that spinning was about
/// 5% of the writer thread's samples. Now the writer announces that it is going to sleep, looks at
/// the channel once more, and blocks on a monitor without spinning; a caller that queued a command
/// pulses the monitor only when the writer announced sleep.
/// </summary>
/// <remarks>
/// No lost wake-up: the caller writes the command, then (after a full fence) reads the flag; the
/// writer sets the flag (a full fence), then looks at the channel. Whatever the interleaving, either
/// the writer sees the command or the caller sees the flag and sets <c>_wakeRequested</c>, which
/// the writer checks under the monitor before it waits. A wake-up requested while the writer was
/// already awake is kept and makes one later sleep return at once: harmless.
/// </remarks>
internal sealed partial class LiteDbOutbox
{
    private readonly object _wakeGate = new();
    private int _writerSleeping;
    private bool _wakeRequested;
    private volatile bool _sleepsUntilWoken;

    /// <summary>
    /// Tests only: the writer sleeps without its housekeeping timeout, so that a lost wake-up
    /// hangs (and the test's deadline names it) instead of costing a one-second stall.
    /// </summary>
    internal bool SleepsUntilWoken
    {
        get => _sleepsUntilWoken;
        set => _sleepsUntilWoken = value;
    }

    /// <summary>Blocks the writer thread until a command is queued, the channel completes, or <paramref name="timeout"/> passes.</summary>
    private void SleepUntilWoken(TimeSpan timeout)
    {
        Interlocked.Exchange(ref _writerSleeping, 1);
        try
        {
            var reader = _commands.Reader;
            if (reader.TryPeek(out _) || reader.Completion.IsCompleted)
            {
                return;
            }

            lock (_wakeGate)
            {
                if (!_wakeRequested)
                {
                    // Monitor.Wait blocks at once (no spinning); the timeout covers housekeeping.
                    Monitor.Wait(_wakeGate, _sleepsUntilWoken ? Timeout.InfiniteTimeSpan : timeout);
                }

                _wakeRequested = false;
            }
        }
        finally
        {
            Volatile.Write(ref _writerSleeping, 0);
        }
    }

    /// <summary>Called after a command was queued (or the channel completed): wakes the writer if it sleeps.</summary>
    private void WakeWriter()
    {
        // The full fence orders the caller's channel write before this read of the flag (Dekker
        // style against the writer's exchange-then-peek in SleepUntilWoken).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _writerSleeping) == 0)
        {
            return;
        }

        lock (_wakeGate)
        {
            _wakeRequested = true;
            Monitor.Pulse(_wakeGate);
        }
    }
}
