namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Exponential backoff with full jitter for reconnects: the n-th delay (n from 0) is uniform in
/// [0, min(<see cref="Cap"/>, <see cref="Base"/> * 2^n)), so a fleet of agents coming back after a
/// plant-wide outage does not reconnect in lockstep. Not thread-safe: one instance per device loop.
/// </summary>
/// <remarks>
/// This is a small helper rather than a Polly retry pipeline because the poller must keep
/// publishing bad-quality points at its poll interval while it waits; a retry strategy would
/// hold the loop inside its delay (and Polly's built-in jitter is decorrelated, not full).
/// </remarks>
internal sealed class ReconnectBackoff
{
    /// <summary>Upper bound of the first delay.</summary>
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of every delay.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private readonly Func<double> _uniform;
    private int _attempt;

    /// <summary>Creates the backoff; <paramref name="uniform"/> returns values in [0, 1) (tests pass a fixed one).</summary>
    public ReconnectBackoff(Func<double>? uniform = null)
    {
        _uniform = uniform ?? NextJitter;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    /// <summary>The ceiling of the next delay.</summary>
    public TimeSpan NextCeiling()
    {
        // 2^6 * 0.5 s already passes the 30 s cap; clamping the exponent avoids overflow.
        var ceiling = Base * Math.Pow(2, Math.Min(_attempt, 16));
        return ceiling < Cap ? ceiling : Cap;
    }

    /// <summary>Returns the delay before the next attempt and counts a failure.</summary>
    public TimeSpan Next()
    {
        var delay = NextCeiling() * _uniform();
        _attempt++;
        return delay;
    }

    /// <summary>Starts over after a success.</summary>
    public void Reset() => _attempt = 0;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter spreads reconnects; it protects nothing.")]
    private static double NextJitter() => Random.Shared.NextDouble();
}
