namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// The open agent streams, one per agent id. Opening a stream for an id that already has one cancels the
/// older stream: when a link dies silently the agent reconnects before the hub notices, and the newer
/// stream is the live one.
/// </summary>
internal sealed class ConnectionRegistry(TimeProvider time) : IAgentPresence, IAgentSessions
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AgentConnection> _open = new(StringComparer.Ordinal);

    /// <summary>Number of open streams.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// Registers a stream for <paramref name="agentId"/>, replacing (and cancelling) an older one. Dispose
    /// the result when the stream ends.
    /// </summary>
    public AgentConnection Open(string agentId, string agentVersion, string peer, CancellationToken callAborted)
    {
        AgentConnection? older;
        AgentConnection connection;
        lock (_lock)
        {
            _open.TryGetValue(agentId, out older);
            connection = new AgentConnection(this, agentId, agentVersion, peer, time.GetUtcNow(), older?.Peer, callAborted);
            _open[agentId] = connection;
        }

        // Outside the lock: cancelling runs the older stream's callbacks synchronously.
        older?.Supersede();
        return connection;
    }

    /// <inheritdoc />
    public AgentPresence? Find(string agentId)
    {
        lock (_lock)
        {
            return _open.TryGetValue(agentId, out var connection) ? connection.ToPresence() : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<AgentPresence> ListOnline()
    {
        lock (_lock)
        {
            return [.. _open.Values.OrderBy(c => c.AgentId, StringComparer.Ordinal).Select(c => c.ToPresence())];
        }
    }

    /// <inheritdoc />
    public bool Disconnect(string agentId, string reason)
    {
        AgentConnection? connection;
        lock (_lock)
        {
            _open.TryGetValue(agentId, out connection);
        }

        connection?.Refuse(reason);
        return connection is not null;
    }

    /// <inheritdoc />
    public bool TrySend(string agentId, EdgeCloud.Proto.Sync.V1.HubMessage message)
    {
        lock (_lock)
        {
            return _open.TryGetValue(agentId, out var connection) && connection.Outbound.Writer.TryWrite(message);
        }
    }

    /// <summary>
    /// Ends the agent's stream on this hub when it was opened before <paramref name="time"/>: the agent has opened a
    /// newer one on another replica, so this one is a leftover (one stream per agent across the replicas). True when one ended.
    /// </summary>
    public bool SupersedeIfOpenedBefore(string agentId, DateTimeOffset time)
    {
        AgentConnection? connection;
        lock (_lock)
        {
            _open.TryGetValue(agentId, out connection);
        }

        if (connection is null || connection.ConnectedAt >= time)
        {
            return false;
        }

        connection.Supersede();
        return true;
    }

    /// <summary>Removes <paramref name="connection"/> unless a newer stream of the same agent already took its place.</summary>
    internal void Close(AgentConnection connection)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(connection.AgentId, out var current) && ReferenceEquals(current, connection))
            {
                _open.Remove(connection.AgentId);
            }
        }
    }
}
