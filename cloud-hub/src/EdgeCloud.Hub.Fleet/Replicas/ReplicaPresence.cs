using EdgeCloud.Hub.Ingest.Connections;

namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>An agent stream held by some replica, as the presence table and the presence hints carry it.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="ReplicaId">The replica that holds its stream.</param>
/// <param name="AgentVersion">Version from the stream's Hello.</param>
/// <param name="Peer">The agent's address as that replica saw it.</param>
/// <param name="ConnectedAt">When that replica accepted the stream.</param>
internal sealed record ReplicaPresence(string AgentId, string ReplicaId, string AgentVersion, string Peer, DateTimeOffset ConnectedAt)
{
    /// <summary>The API's view: last seen is the connect time (the telemetry store has the latest batch), health stays with the holder.</summary>
    public AgentPresence ToPresence() => new(AgentId, AgentVersion, Peer, ConnectedAt, ConnectedAt, null);
}
