namespace EdgeCloud.Edge.OpcUa.Subscriptions;

/// <summary>Timing of a subscription (OPC 10000-4 §5.13.1); the server may revise every value.</summary>
internal sealed record SubscriptionOptions
{
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Publishing intervals without data before the server sends a keep-alive.</summary>
    public uint MaxKeepAliveCount { get; init; } = 10;

    /// <summary>Publishing intervals without a Publish request before the server drops the subscription (at least 3x keep-alive).</summary>
    public uint LifetimeCount { get; init; } = 60;

    public uint MaxNotificationsPerPublish { get; init; } = 10_000;

    /// <summary>Publish requests kept outstanding, so the server always has one to answer with.</summary>
    public int PublishRequests { get; init; } = 3;

    /// <summary>Items per CreateMonitoredItems call.</summary>
    public int CreateBatchSize { get; init; } = 1000;
}
