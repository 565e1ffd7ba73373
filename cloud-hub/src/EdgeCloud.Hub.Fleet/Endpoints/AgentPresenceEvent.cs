namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>One change of an agent's online state, as <see cref="PresenceEvents"/> pushes it.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Online">True while it has a sync stream open.</param>
public sealed record AgentPresenceEvent(string AgentId, bool Online);
