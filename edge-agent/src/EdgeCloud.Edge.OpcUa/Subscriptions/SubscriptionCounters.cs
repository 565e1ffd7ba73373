namespace EdgeCloud.Edge.OpcUa.Subscriptions;

/// <summary>What a subscription has done, for metrics and tests. Thread-safe.</summary>
internal sealed class SubscriptionCounters
{
    private long _notifications;
    private long _republished;
    private long _lost;
    private long _rebuilt;
    private long _keepAlives;

    public long Notifications => Interlocked.Read(ref _notifications);

    public long Republished => Interlocked.Read(ref _republished);

    /// <summary>Notification messages missed that the server could no longer republish.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Monitored items rebuilt by the watchdog.</summary>
    public long Rebuilt => Interlocked.Read(ref _rebuilt);

    public long KeepAlives => Interlocked.Read(ref _keepAlives);

    public void AddNotifications(int count) => Interlocked.Add(ref _notifications, count);

    public void AddRepublished() => Interlocked.Increment(ref _republished);

    public void AddLost() => Interlocked.Increment(ref _lost);

    public void AddRebuilt() => Interlocked.Increment(ref _rebuilt);

    public void AddKeepAlive() => Interlocked.Increment(ref _keepAlives);
}
