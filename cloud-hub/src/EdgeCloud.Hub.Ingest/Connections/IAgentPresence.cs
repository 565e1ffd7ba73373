namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// Which agents have a sync stream open right now. An agent is online exactly while one of its streams
/// is open; at most one stream per agent id is open at a time (a newer one replaces the older).
/// </summary>
public interface IAgentPresence
{
    /// <summary>The agent's open connection, or null when it is offline.</summary>
    AgentPresence? Find(string agentId);

    /// <summary>Every online agent, ordered by id.</summary>
    IReadOnlyList<AgentPresence> ListOnline();
}
