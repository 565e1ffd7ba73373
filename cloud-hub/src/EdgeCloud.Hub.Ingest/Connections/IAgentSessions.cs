namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>Ends agents' open streams from outside the stream handlers (revocation).</summary>
public interface IAgentSessions
{
    /// <summary>
    /// Ends the open stream of <paramref name="agentId"/> at once with a non-retryable Refusal carrying
    /// <paramref name="reason"/>. Returns false when the agent has no open stream on this hub.
    /// </summary>
    bool Disconnect(string agentId, string reason);
}
