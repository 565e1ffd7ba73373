using EdgeCloud.Hub.Storage.Alarms;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>
/// Alarm events handed to live readers (the dashboard's stream) right after their batch was stored. Each
/// reader has its own bounded queue; a reader whose queue is full is dropped (its queue completes), so a slow
/// reader never holds up ingest and never makes another reader miss anything. Per replica, like
/// <see cref="LatestValues"/>: history comes from storage.
/// </summary>
public sealed class AlarmEventFeed
{
    private readonly object _gate = new();
    private AlarmEventSubscription[] _subscribers = [];

    /// <summary>Readers following the feed now.</summary>
    public int Count => Volatile.Read(ref _subscribers).Length;

    /// <summary>
    /// Starts following every agent's events; <paramref name="capacity"/> events may wait at most. A
    /// <paramref name="localOnly"/> reader does not see events relayed from another replica.
    /// </summary>
    public AlarmEventSubscription Subscribe(int capacity, bool localOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new AlarmEventSubscription(this, capacity, localOnly);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>Hands the events of a just-stored batch to every reader.</summary>
    public void Publish(IReadOnlyList<StoredAlarmEvent> events) => Publish(events, relayed: false);

    /// <summary>Hands events another replica stored (and forwarded) to every reader but the local-only ones.</summary>
    public void PublishRelayed(IReadOnlyList<StoredAlarmEvent> events) => Publish(events, relayed: true);

    private void Publish(IReadOnlyList<StoredAlarmEvent> events, bool relayed)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        foreach (var subscriber in subscribers)
        {
            if (relayed && subscriber.LocalOnly)
            {
                continue;
            }

            foreach (var stored in events)
            {
                if (!subscriber.Offer(stored))
                {
                    break;
                }
            }
        }
    }

    internal void Unsubscribe(AlarmEventSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
