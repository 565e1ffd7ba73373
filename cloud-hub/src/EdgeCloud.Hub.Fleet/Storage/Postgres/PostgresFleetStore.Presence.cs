using EdgeCloud.Hub.Fleet.Replicas;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>Replica leases and which replica holds each agent's stream; lease ages are measured on the database's clock.</summary>
internal sealed partial class PostgresFleetStore : IReplicaPresenceStore
{
    public async Task<bool> HeartbeatAsync(string replicaId, CancellationToken cancellationToken)
    {
        // xmax = 0 only on a row this statement inserted.
        var inserted = await QueryAsync(
            """
            INSERT INTO fleet.replicas VALUES ($1, now(), now())
            ON CONFLICT (replica_id) DO UPDATE SET heartbeat_at = now() RETURNING (xmax = 0)
            """,
            r => r.GetBoolean(0),
            cancellationToken,
            replicaId);
        return inserted[0];
    }

    public Task SetOnlineAsync(ReplicaPresence presence, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO fleet.presence VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (agent_id) DO UPDATE SET replica_id = EXCLUDED.replica_id, agent_version = EXCLUDED.agent_version, peer = EXCLUDED.peer, connected_at = EXCLUDED.connected_at
            """,
            cancellationToken,
            presence.AgentId,
            presence.ReplicaId,
            presence.AgentVersion,
            presence.Peer,
            presence.ConnectedAt);

    public Task SetOfflineAsync(string agentId, string replicaId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM fleet.presence WHERE agent_id = $1 AND replica_id = $2", cancellationToken, agentId, replicaId);

    public async Task<IReadOnlyList<ReplicaPresence>> ListOnlineAsync(string exceptReplicaId, TimeSpan lease, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT p.agent_id, p.replica_id, p.agent_version, p.peer, p.connected_at FROM fleet.presence p
            JOIN fleet.replicas r ON r.replica_id = p.replica_id
            WHERE p.replica_id <> $1 AND r.heartbeat_at > now() - $2
            """,
            r => new ReplicaPresence(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4)),
            cancellationToken,
            exceptReplicaId,
            lease);

    public async Task RemoveReplicaAsync(string replicaId, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM fleet.presence WHERE replica_id = $1", cancellationToken, replicaId);
        await ExecuteAsync("DELETE FROM fleet.replicas WHERE replica_id = $1", cancellationToken, replicaId);
    }

    public Task<int> PurgeAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            WITH gone AS (DELETE FROM fleet.replicas WHERE heartbeat_at < now() - $1 RETURNING replica_id)
            DELETE FROM fleet.presence p USING gone WHERE p.replica_id = gone.replica_id
            """,
            cancellationToken,
            olderThan);
}
