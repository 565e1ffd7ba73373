namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>The presence store of a hub without replicas (SQLite): there is nobody else, so nothing is kept and nobody else holds a stream.</summary>
internal sealed class SingleHubPresenceStore : IReplicaPresenceStore
{
    public Task<bool> HeartbeatAsync(string replicaId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task SetOnlineAsync(ReplicaPresence presence, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetOfflineAsync(string agentId, string replicaId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ReplicaPresence>> ListOnlineAsync(string exceptReplicaId, TimeSpan lease, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReplicaPresence>>([]);

    public Task RemoveReplicaAsync(string replicaId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> PurgeAsync(TimeSpan olderThan, CancellationToken cancellationToken) => Task.FromResult(0);
}
