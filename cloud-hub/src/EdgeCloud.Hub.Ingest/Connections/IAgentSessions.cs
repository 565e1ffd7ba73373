namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>Ends agents' open streams from outside the stream handlers (revocation).</summary>
public interface IAgentSessions
{
    /// <summary>
    /// Ends the open stream of <paramref name="agentId"/> at once with a non-retryable Refusal carrying
    /// <paramref name="reason"/>. Returns false when the agent has no open stream on this hub.
    /// </summary>
    bool Disconnect(string agentId, string reason);

    /// <summary>
    /// Queues <paramref name="message"/> (a command or desired config) for the open stream of
    /// <paramref name="agentId"/>. False when the agent has no open stream on this hub or its queue is full
    /// (the caller keeps the message for the next connect).
    /// </summary>
    bool TrySend(string agentId, EdgeCloud.Proto.Sync.V1.HubMessage message);
}
