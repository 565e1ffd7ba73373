namespace EdgeCloud.Edge.Rules.Actions;

/// <summary>
/// A token bucket on an injected clock: starts full with <c>burst</c> tokens and refills at
/// <c>perMinute</c>, never above <c>burst</c>. Not thread-safe (used under the engine's lock).
/// </summary>
internal sealed class TokenBucket(int burst, double perMinute, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_refilledAt, now);
        _refilledAt = now;
        _tokens = Math.Min(burst, _tokens + (elapsed.TotalMinutes * perMinute));
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
