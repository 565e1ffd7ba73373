using System.Text.Json;
using EdgeCloud.Hub.Storage.Replicas;

namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>
/// The fleet's messages on the replica bus. Each is a hint naming an agent: the data (queued commands, desired
/// config, revocation, presence) is in the shared store first, and the replica that holds the agent's stream
/// reads it from there. A missed hint is caught up from the store (<see cref="ReplicaCoordinator"/>).
/// </summary>
internal sealed class ReplicaHints(IReplicaBus bus)
{
    /// <summary>Payload: agent id. The agent has queued commands.</summary>
    public const string CommandsTopic = "fleet.commands";

    /// <summary>Payload: agent id. The agent's desired config changed.</summary>
    public const string ConfigTopic = "fleet.config";

    /// <summary>Payload: agent id. The agent was revoked: close its stream.</summary>
    public const string RevokedTopic = "fleet.revoked";

    /// <summary>Payload: <c>+</c> and a <see cref="ReplicaPresence"/> as JSON, or <c>-</c>, agent id, newline, replica id.</summary>
    public const string PresenceTopic = "fleet.presence";

    public ValueTask CommandsQueuedAsync(string agentId, CancellationToken cancellationToken) => bus.PublishAsync(CommandsTopic, agentId, cancellationToken);

    public ValueTask ConfigChangedAsync(string agentId, CancellationToken cancellationToken) => bus.PublishAsync(ConfigTopic, agentId, cancellationToken);

    public ValueTask RevokedAsync(string agentId, CancellationToken cancellationToken) => bus.PublishAsync(RevokedTopic, agentId, cancellationToken);

    public ValueTask ConnectedAsync(ReplicaPresence presence, CancellationToken cancellationToken) =>
        bus.PublishAsync(PresenceTopic, "+" + JsonSerializer.Serialize(presence), cancellationToken);

    public ValueTask DisconnectedAsync(string agentId, string replicaId, CancellationToken cancellationToken) =>
        bus.PublishAsync(PresenceTopic, "-" + agentId + "\n" + replicaId, cancellationToken);

    /// <summary>Reads a presence payload: the presence for a connect, or (agent, replica) for a disconnect; false when malformed.</summary>
    public static bool TryParsePresence(string payload, out ReplicaPresence? connected, out (string AgentId, string ReplicaId) disconnected)
    {
        connected = null;
        disconnected = default;
        if (payload.StartsWith('+'))
        {
            try
            {
                connected = JsonSerializer.Deserialize<ReplicaPresence>(payload.AsSpan(1));
            }
            catch (JsonException)
            {
                return false;
            }

            return connected is { AgentId.Length: > 0, ReplicaId.Length: > 0 };
        }

        var split = payload.IndexOf('\n', StringComparison.Ordinal);
        if (payload.StartsWith('-') && split > 1 && split < payload.Length - 1)
        {
            disconnected = (payload[1..split], payload[(split + 1)..]);
            return true;
        }

        return false;
    }
}
