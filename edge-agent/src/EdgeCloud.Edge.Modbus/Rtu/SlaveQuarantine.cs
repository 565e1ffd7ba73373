using EdgeCloud.Edge.Modbus.Polling;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// Keeps a dead slave from starving its bus. Every timeout of a slave costs the whole bus its
/// full timeout; after <see cref="Threshold"/> timeouts in a row the slave is quarantined for a
/// backoff that doubles with each failed probe (0.5 s up to 30 s, jittered between half and all of
/// it), during which its requests fail at once without touching the line. When the quarantine
/// ends one request goes out as a probe: an answer (even an exception response) lifts it, another
/// timeout extends it. Not thread-safe: one instance per device loop.
/// </summary>
internal sealed class SlaveQuarantine
{
    /// <summary>Timeouts in a row that put a slave in quarantine.</summary>
    public const int Threshold = 3;

    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private int _consecutiveTimeouts;
    private DateTimeOffset _until = DateTimeOffset.MinValue;

    /// <summary>Creates the quarantine; <paramref name="jitter"/> returns values in [0, 1) (tests pass a fixed one).</summary>
    public SlaveQuarantine(TimeProvider time, Func<double>? jitter = null)
    {
        _time = time;
        var uniform = jitter ?? NextJitter;

        // Half to all of the ceiling: a full-jitter draw near zero would let a dead slave back on
        // the bus at once, which is what the quarantine is for.
        _backoff = new ReconnectBackoff(() => 0.5 + (uniform() * 0.5));
    }

    /// <summary>When the current quarantine ends (in the past when there is none).</summary>
    public DateTimeOffset Until => _until;

    /// <summary>Timeouts in a row so far.</summary>
    public int ConsecutiveTimeouts => _consecutiveTimeouts;

    /// <summary>Times the slave was put (or kept) in quarantine.</summary>
    public long Quarantines { get; private set; }

    /// <summary>True while requests must not go to the line.</summary>
    public bool IsQuarantined(out TimeSpan remaining)
    {
        remaining = _until - _time.GetUtcNow();
        return remaining > TimeSpan.Zero;
    }

    /// <summary>The slave answered (a value or an exception response).</summary>
    public void Answered()
    {
        _consecutiveTimeouts = 0;
        _until = DateTimeOffset.MinValue;
        _backoff.Reset();
    }

    /// <summary>The slave did not answer in time; returns true when this put it in quarantine.</summary>
    public bool TimedOut()
    {
        if (++_consecutiveTimeouts < Threshold)
        {
            return false;
        }

        _until = _time.GetUtcNow() + _backoff.Next();
        Quarantines++;
        return true;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter spreads probes; it protects nothing.")]
    private static double NextJitter() => Random.Shared.NextDouble();
}
