namespace EdgeCloud.Hub.Storage.Replicas;

/// <summary>The bus of a hub that has no other replicas (SQLite, in memory): a publish calls this process's handlers.</summary>
internal sealed class InProcessReplicaBus : IReplicaBus
{
    private readonly ReplicaSubscriptions _subscriptions = new();

    public ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default)
    {
        ReplicaSubscriptions.ThrowIfInvalid(topic, payload);
        return _subscriptions.DispatchAsync(topic, payload, cancellationToken);
    }

    public IDisposable Subscribe(string topic, Func<string, CancellationToken, ValueTask> handler) => _subscriptions.Add(topic, handler);

    /// <summary>Never called: an in-process bus cannot miss a message.</summary>
    public IDisposable OnResumed(Func<CancellationToken, ValueTask> handler) => _subscriptions.Add(ReplicaSubscriptions.ResumedTopic, (_, token) => handler(token));
}
