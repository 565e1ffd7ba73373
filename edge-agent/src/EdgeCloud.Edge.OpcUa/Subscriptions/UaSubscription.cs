using EdgeCloud.Edge.OpcUa.Client;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Subscriptions;

/// <summary>
/// One server subscription with its monitored items, and the Publish loop that drains it
/// (OPC 10000-4 §5.12, §5.13). Invariants: the item list (and so every client handle) is fixed
/// at construction and survives any number of <see cref="CreateAsync"/> calls on new sessions;
/// every notification message with data is delivered once in sequence order and acknowledged in
/// a later Publish; a gap is filled with Republish, and what the server no longer holds is
/// counted as lost. Not thread-safe: one owner loop drives it.
/// </summary>
internal sealed partial class UaSubscription
{
    private readonly ItemState[] _items;
    private readonly SubscriptionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<SubscriptionAcknowledgement> _acks = [];
    private uint _lastSequence;
    private double _revisedInterval;
    private uint _revisedKeepAlive;

    public UaSubscription(IReadOnlyList<MonitoredItemSpec> items, SubscriptionOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.Select((spec, i) => new ItemState(spec, (uint)i + 1)).ToArray();
        _options = options;
        _time = time;
        _logger = logger;
    }

    public SubscriptionCounters Counters { get; } = new();

    /// <summary>The server's id for the subscription; 0 before <see cref="CreateAsync"/>.</summary>
    public uint SubscriptionId { get; private set; }

    /// <summary>Items the server accepted.</summary>
    public int MonitoredItemCount => _items.Count(i => i.ServerId != 0);

    /// <summary>The create status of each item, in spec order (Good once accepted).</summary>
    public IReadOnlyList<uint> ItemStatuses => _items.Select(i => i.Status).ToArray();

    /// <summary>Imitates a lost Publish response (a failure a healthy peer cannot produce on demand): true drops the message unseen.</summary>
    internal Func<NotificationMessage, bool>? DropFilter { get; set; }

    /// <summary>Creates the subscription and every item on <paramref name="session"/> (again, after a session was recreated).</summary>
    public async Task CreateAsync(UaSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var response = await session.CallAsync<CreateSubscriptionResponse>(
            new CreateSubscriptionRequest(_options.PublishingInterval.TotalMilliseconds, _options.LifetimeCount, _options.MaxKeepAliveCount, _options.MaxNotificationsPerPublish),
            cancellationToken).ConfigureAwait(false);
        SubscriptionId = response.SubscriptionId;
        _revisedInterval = response.PublishingInterval;
        _revisedKeepAlive = Math.Max(1, response.MaxKeepAliveCount);
        _lastSequence = 0;
        _acks.Clear();
        foreach (var item in _items)
        {
            item.ServerId = 0;
        }

        await CreateItemsAsync(session, _items, cancellationToken).ConfigureAwait(false);
        UaLog.SubscriptionCreated(_logger, SubscriptionId, MonitoredItemCount, _items.Length, _revisedInterval);
    }

    private async Task CreateItemsAsync(UaSession session, IReadOnlyList<ItemState> items, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        for (var start = 0; start < items.Count; start += _options.CreateBatchSize)
        {
            var batch = items.Skip(start).Take(_options.CreateBatchSize).ToArray();
            var requests = batch.Select(i => new MonitoredItemCreateRequest(
                new ReadValueId(i.Spec.NodeId), i.ClientHandle, i.Spec.SamplingInterval, i.Spec.QueueSize, i.Spec.Trigger, i.Spec.Deadband, i.Spec.DeadbandValue)).ToArray();
            var response = await session.CallAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest(SubscriptionId, requests), cancellationToken).ConfigureAwait(false);
            if (response.Results.Length != batch.Length)
            {
                throw new UaStatusException(StatusCodes.BadUnknownResponse, $"CreateMonitoredItems returned {response.Results.Length} results for {batch.Length} items");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                var result = response.Results[i];
                batch[i].Status = result.StatusCode;
                batch[i].ServerId = StatusCodes.IsBad(result.StatusCode) ? 0 : result.MonitoredItemId;
                batch[i].LastNotification = now;
                if (StatusCodes.IsBad(result.StatusCode))
                {
                    UaLog.ItemRejected(_logger, batch[i].Spec.NodeId.ToString(), StatusCodes.Name(result.StatusCode));
                }
            }
        }
    }

    /// <summary>Deletes (best effort) the subscription on the server.</summary>
    public async Task DeleteAsync(UaSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (SubscriptionId != 0)
        {
            await session.CallAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest([SubscriptionId]), cancellationToken).ConfigureAwait(false);
            SubscriptionId = 0;
        }
    }

    /// <summary>A monitored item's mutable state; the spec and client handle never change.</summary>
    private sealed class ItemState(MonitoredItemSpec spec, uint clientHandle)
    {
        public MonitoredItemSpec Spec { get; } = spec;

        public uint ClientHandle { get; } = clientHandle;

        public uint ServerId { get; set; }

        public uint Status { get; set; } = StatusCodes.BadWaitingForInitialData;

        public long LastNotification { get; set; }
    }
}
