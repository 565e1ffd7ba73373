namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The hub link as the rest of the agent sees it (status command, health, metrics). Written by
/// the sync service only; readers get a consistent snapshot.
/// </summary>
public sealed class SyncStatus
{
    private readonly Lock _lock = new();
    private Snapshot _current = new(false, null, null, 0, 0, 0);

    /// <summary>One consistent view of the link.</summary>
    /// <param name="Connected">A session with the hub is open.</param>
    /// <param name="Since">When the link last changed state.</param>
    /// <param name="LastError">Why the last session ended or failed, if it did.</param>
    /// <param name="BatchesSent">Batches written to the stream since start.</param>
    /// <param name="LastAcknowledged">Highest sequence the hub acknowledged.</param>
    /// <param name="LivePointsSent">Points sent on the live lane (beside a draining backlog) since start.</param>
    public sealed record Snapshot(bool Connected, DateTimeOffset? Since, string? LastError, long BatchesSent, ulong LastAcknowledged, long LivePointsSent);

    /// <summary>The current view.</summary>
    public Snapshot Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    internal void SetConnected(DateTimeOffset at)
    {
        lock (_lock)
        {
            _current = _current with { Connected = true, Since = at, LastError = null };
        }
    }

    internal void SetDisconnected(DateTimeOffset at, string reason)
    {
        lock (_lock)
        {
            _current = _current with { Connected = false, Since = _current.Connected ? at : _current.Since ?? at, LastError = reason };
        }
    }

    internal void AddSent(int batches)
    {
        lock (_lock)
        {
            _current = _current with { BatchesSent = _current.BatchesSent + batches };
        }
    }

    internal void AddLive(int points)
    {
        lock (_lock)
        {
            _current = _current with { LivePointsSent = _current.LivePointsSent + points };
        }
    }

    internal void SetAcknowledged(ulong sequence)
    {
        lock (_lock)
        {
            _current = _current with { LastAcknowledged = sequence };
        }
    }
}
