namespace EdgeCloud.Edge.Mqtt.Connection;

/// <summary>
/// Exponential backoff with full jitter for reconnects: the n-th delay (n from 0) is uniform in
/// [0, min(<see cref="Cap"/>, <see cref="Base"/> * 2^n)), so agents and devices coming back after a
/// broker restart do not reconnect in lockstep. Not thread-safe: one instance per connection loop.
/// </summary>
internal sealed class JitteredBackoff(TimeSpan? @base = null, TimeSpan? cap = null)
{
    public TimeSpan Base { get; } = @base ?? TimeSpan.FromMilliseconds(500);

    public TimeSpan Cap { get; } = cap ?? TimeSpan.FromSeconds(30);

    private int _attempt;

    /// <summary>Returns the delay before the next attempt and counts a failure.</summary>
    public TimeSpan Next()
    {
        // Clamping the exponent avoids overflow long after the cap is reached.
        var ceiling = Base * Math.Pow(2, Math.Min(_attempt++, 16));
        return (ceiling < Cap ? ceiling : Cap) * Jitter();
    }

    /// <summary>Starts over after a success.</summary>
    public void Reset() => _attempt = 0;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter spreads reconnects; it protects nothing.")]
    private static double Jitter() => Random.Shared.NextDouble();
}
