using System.Collections.Concurrent;
using EdgeCloud.Hub.Ingest.Connections;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>
/// <see cref="IAgentPresence"/> across replicas: this replica's open streams (the connection registry), then the
/// streams the other replicas hold, as last read from the presence table (every heartbeat) and updated between
/// reads by presence hints on the replica bus. A stream here wins over the table's word.
/// </summary>
internal sealed class ClusterPresence(ConnectionRegistry local, IOptions<ReplicaOptions> options) : IAgentPresence
{
    private volatile ConcurrentDictionary<string, ReplicaPresence> _remote = new(StringComparer.Ordinal);

    /// <summary>This replica's id.</summary>
    public string ReplicaId { get; } = options.Value.Id is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <inheritdoc />
    public AgentPresence? Find(string agentId) =>
        local.Find(agentId) ?? (_remote.TryGetValue(agentId, out var remote) ? remote.ToPresence() : null);

    /// <inheritdoc />
    public IReadOnlyList<AgentPresence> ListOnline()
    {
        var here = local.ListOnline();
        var ids = here.Select(p => p.AgentId).ToHashSet(StringComparer.Ordinal);
        return [.. here.Concat(_remote.Values.Where(r => !ids.Contains(r.AgentId)).Select(r => r.ToPresence())).OrderBy(p => p.AgentId, StringComparer.Ordinal)];
    }

    /// <summary>The agent's stream on this replica, or null.</summary>
    public AgentPresence? FindLocal(string agentId) => local.Find(agentId);

    /// <summary>True when the agent's stream is open on this replica.</summary>
    public bool IsLocal(string agentId) => local.Find(agentId) is not null;

    /// <summary>The replica that holds the agent's stream, when it is another one.</summary>
    public string? RemoteHolder(string agentId) => !IsLocal(agentId) && _remote.TryGetValue(agentId, out var remote) ? remote.ReplicaId : null;

    /// <summary>Replaces what is known of the other replicas with a fresh read of the presence table.</summary>
    public void Replace(IEnumerable<ReplicaPresence> rows) =>
        _remote = new ConcurrentDictionary<string, ReplicaPresence>(rows.Select(r => KeyValuePair.Create(r.AgentId, r)), StringComparer.Ordinal);

    /// <summary>Another replica accepted a stream of the agent: it holds the agent now, and a stream here is a leftover.</summary>
    public void Connected(ReplicaPresence presence)
    {
        _remote[presence.AgentId] = presence;
        local.SupersedeIfOpenedBefore(presence.AgentId, presence.ConnectedAt);
    }

    /// <summary>Another replica's stream of the agent ended (unless the agent has moved on to yet another replica).</summary>
    public void Disconnected(string agentId, string replicaId)
    {
        if (_remote.TryGetValue(agentId, out var known) && known.ReplicaId == replicaId)
        {
            _remote.TryRemove(KeyValuePair.Create(agentId, known));
        }
    }
}
