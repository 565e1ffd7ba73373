using System.Collections.Concurrent;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>
/// Each agent's newest point per tag, from the live lane (while a backlog drains) and from stored
/// batches. In memory and per replica: it answers "what is the present value", while history
/// comes from storage. A value only ever moves forward in time; an older point (the backlog
/// reaching it) marks the same value stored instead of replacing it. Bounded per agent.
/// </summary>
public sealed class LatestValues
{
    /// <summary>Tags kept per agent at most.</summary>
    public const int MaxTagsPerAgent = 100_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LatestValue>> _agents = new(StringComparer.Ordinal);

    // Copy-on-write arrays: ingest reads them without a lock; (un)subscribing is rare and takes _subscribersGate.
    private readonly ConcurrentDictionary<string, LatestValueSubscription[]> _subscribers = new(StringComparer.Ordinal);
    private readonly object _subscribersGate = new();

    /// <summary>Takes live-lane points (not stored yet).</summary>
    public void ApplyLive(string agentId, IEnumerable<Point> points) => Apply(agentId, points, stored: false, relayed: false);

    /// <summary>Takes the points of a batch that was just stored.</summary>
    public void ApplyStored(string agentId, IEnumerable<Point> points) => Apply(agentId, points, stored: true, relayed: false);

    /// <summary>
    /// Takes values another replica forwarded (the agent streams there): offered to this replica's readers
    /// except local-only ones, so the relay never forwards them again.
    /// </summary>
    public void ApplyRelayed(string agentId, IEnumerable<Point> points, bool stored) => Apply(agentId, points, stored, relayed: true);

    /// <summary>The agent's newest values, ordered by tag; empty when none are known.</summary>
    public IReadOnlyList<LatestValue> Get(string agentId) =>
        _agents.TryGetValue(agentId, out var tags)
            ? [.. tags.Values.OrderBy(v => v.Point.Tag, StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Follows the agent's values as they change from now on (read <see cref="Get"/> after subscribing for the
    /// starting snapshot); at most <paramref name="capacity"/> changed tags wait for the reader. A
    /// <paramref name="localOnly"/> reader does not see values relayed from another replica.
    /// </summary>
    public LatestValueSubscription Subscribe(string agentId, int capacity, bool localOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new LatestValueSubscription(this, agentId, capacity, localOnly);
        lock (_subscribersGate)
        {
            _subscribers[agentId] = _subscribers.TryGetValue(agentId, out var current) ? [.. current, subscription] : [subscription];
        }

        return subscription;
    }

    /// <summary>Readers following any agent now.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_subscribersGate)
            {
                return _subscribers.Values.Sum(s => s.Length);
            }
        }
    }

    internal void Unsubscribe(LatestValueSubscription subscription)
    {
        lock (_subscribersGate)
        {
            if (!_subscribers.TryGetValue(subscription.AgentId, out var current))
            {
                return;
            }

            LatestValueSubscription[] rest = [.. current.Where(s => !ReferenceEquals(s, subscription))];
            if (rest.Length == 0)
            {
                _subscribers.TryRemove(subscription.AgentId, out _);
            }
            else
            {
                _subscribers[subscription.AgentId] = rest;
            }
        }
    }

    private void Apply(string agentId, IEnumerable<Point> points, bool stored, bool relayed)
    {
        var tags = _agents.GetOrAdd(agentId, _ => new ConcurrentDictionary<string, LatestValue>(StringComparer.Ordinal));
        _subscribers.TryGetValue(agentId, out var readers);
        foreach (var point in points)
        {
            if (tags.Count >= MaxTagsPerAgent && !tags.ContainsKey(point.Tag))
            {
                continue;
            }

            LatestValue? before = null;
            if (readers is not null)
            {
                tags.TryGetValue(point.Tag, out before);
            }

            var after = tags.AddOrUpdate(
                point.Tag,
                _ => new LatestValue(point, stored),
                (_, current) => point.TimeUnixNano > current.Point.TimeUnixNano
                    ? new LatestValue(point, stored)
                    : stored && !current.Stored && point.TimeUnixNano == current.Point.TimeUnixNano
                        ? current with { Stored = true }
                        : current);
            if (readers is not null && !ReferenceEquals(before, after))
            {
                foreach (var reader in readers)
                {
                    if (!relayed || !reader.LocalOnly)
                    {
                        reader.Offer(after);
                    }
                }
            }
        }
    }
}
