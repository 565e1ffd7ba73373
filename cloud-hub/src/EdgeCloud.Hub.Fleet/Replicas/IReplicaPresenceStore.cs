namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>
/// Which replica holds which agent's stream, and which replicas are alive (a lease renewed by heartbeats, on the
/// database's clock). PostgreSQL keeps it for replicas; a hub on SQLite is alone and uses <see cref="SingleHubPresenceStore"/>.
/// </summary>
internal interface IReplicaPresenceStore
{
    /// <summary>Renews the lease of <paramref name="replicaId"/>; true when its row was missing (first beat, or purged after a long outage).</summary>
    Task<bool> HeartbeatAsync(string replicaId, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="presence"/>'s replica now holds the agent's stream (replacing any other replica's row).</summary>
    Task SetOnlineAsync(ReplicaPresence presence, CancellationToken cancellationToken);

    /// <summary>Removes the agent's row if it is still <paramref name="replicaId"/>'s (another replica may hold the agent by now).</summary>
    Task SetOfflineAsync(string agentId, string replicaId, CancellationToken cancellationToken);

    /// <summary>The streams held by replicas other than <paramref name="exceptReplicaId"/> whose lease is younger than <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<ReplicaPresence>> ListOnlineAsync(string exceptReplicaId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Deletes a replica's lease and rows (a clean stop: its agents are offline at once).</summary>
    Task RemoveReplicaAsync(string replicaId, CancellationToken cancellationToken);

    /// <summary>Deletes replicas (and their rows) whose lease expired more than <paramref name="olderThan"/> ago; returns how many agent rows went with them.</summary>
    Task<int> PurgeAsync(TimeSpan olderThan, CancellationToken cancellationToken);
}
