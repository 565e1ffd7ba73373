namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>The last config report of an agent: which version, what it did with it, and when.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Version">The version it reported.</param>
/// <param name="State">refused, stored, applied or reverted.</param>
/// <param name="Detail">The agent's words (every validation error when refused).</param>
/// <param name="Time">When the hub received it.</param>
public sealed record ConfigReportRecord(string AgentId, string Version, string State, string Detail, DateTimeOffset Time);
