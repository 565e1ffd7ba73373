using System.Collections.Concurrent;
using System.Text;

namespace EdgeCloud.Hub.Storage.Replicas;

/// <summary>The handlers per topic of one process, shared by the bus implementations.</summary>
internal sealed class ReplicaSubscriptions
{
    /// <summary>The internal topic of <see cref="IReplicaBus.OnResumed"/> handlers; a newline keeps it out of reach of published topics.</summary>
    public const string ResumedTopic = "\nresumed";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Func<string, CancellationToken, ValueTask>>> _topics = new(StringComparer.Ordinal);

    public IDisposable Add(string topic, Func<string, CancellationToken, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(handler);
        var id = Guid.NewGuid();
        _topics.GetOrAdd(topic, _ => new()).TryAdd(id, handler);
        return new Subscription(() => _topics.GetOrAdd(topic, _ => new()).TryRemove(id, out Func<string, CancellationToken, ValueTask>? _));
    }

    public async ValueTask DispatchAsync(string topic, string payload, CancellationToken cancellationToken)
    {
        if (_topics.TryGetValue(topic, out var handlers))
        {
            foreach (var handler in handlers.Values)
            {
                await handler(payload, cancellationToken);
            }
        }
    }

    /// <summary>Throws when a topic or payload cannot travel (empty topic, a newline in it, too long).</summary>
    public static void ThrowIfInvalid(string topic, string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(payload);
        if (topic.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a topic must not contain a newline", nameof(topic));
        }

        if (Encoding.UTF8.GetByteCount(topic) + 1 + Encoding.UTF8.GetByteCount(payload) > IReplicaBus.MaxPayloadBytes)
        {
            throw new ArgumentException($"topic and payload exceed {IReplicaBus.MaxPayloadBytes} bytes: send an id and keep the data in the database", nameof(payload));
        }
    }

    private sealed class Subscription(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
