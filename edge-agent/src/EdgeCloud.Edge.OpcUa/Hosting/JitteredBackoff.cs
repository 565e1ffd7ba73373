namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>
/// Exponential backoff with full jitter: the n-th delay is uniform in [0, min(cap, base * 2^n)),
/// so gateways that lost one server together do not reconnect in lockstep. One per device loop.
/// </summary>
internal sealed class JitteredBackoff(TimeSpan baseDelay, TimeSpan cap)
{
    private int _attempt;

    public int Attempt => _attempt;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter spreads reconnects; it protects nothing.")]
    public TimeSpan Next()
    {
        var ceiling = baseDelay * Math.Pow(2, Math.Min(_attempt, 16));
        _attempt++;
        return (ceiling < cap ? ceiling : cap) * Random.Shared.NextDouble();
    }

    public void Reset() => _attempt = 0;
}
