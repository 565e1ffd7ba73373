namespace EdgeCloud.Edge.Sync;

/// <summary>
/// Holds a draining backlog to <c>hub.backlogBytesPerSecond</c> (<see cref="Configuration.HubLinkConfig.BacklogBytesPerSecond"/>):
/// a token bucket of stored payload bytes that refills at the rate and holds at most one second of it, so a
/// drain starts with one second's worth at once and then goes at the rate. A batch larger than the bucket
/// still goes, after the wait its size earns. One per session, used by the send loop only.
/// </summary>
internal sealed class BacklogPacer
{
    private readonly long _bytesPerSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public BacklogPacer(long bytesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        _bytesPerSecond = bytesPerSecond;
        _time = time;
        _tokens = bytesPerSecond;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Waits until <paramref name="bytes"/> more may go, and takes them.</summary>
    public async ValueTask TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        Refill();
        _tokens -= bytes;
        if (_tokens < 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(-_tokens / _bytesPerSecond), _time, cancellationToken);
            Refill();
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_bytesPerSecond, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _bytesPerSecond));
        _refilledAt = now;
    }
}
