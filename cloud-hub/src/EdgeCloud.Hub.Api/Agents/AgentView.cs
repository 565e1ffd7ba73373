namespace EdgeCloud.Hub.Api.Agents;

/// <summary>One agent as the API shows it: what storage knows, merged with its live stream when online.</summary>
/// <param name="AgentId">The agent's id.</param>
/// <param name="Online">True while the agent has a sync stream open.</param>
/// <param name="FirstSeen">When the hub first heard of it (ISO-8601 UTC).</param>
/// <param name="LastSeen">The last message from it (ISO-8601 UTC).</param>
/// <param name="AgentVersion">Version from its last Hello.</param>
/// <param name="HighestSequence">Highest batch sequence stored.</param>
/// <param name="Batches">Batches stored.</param>
/// <param name="Points">Points stored.</param>
/// <param name="DroppedPoints">Points the agent reported dropped before sending (disk budget, TTL).</param>
/// <param name="CompactedPoints">Raw points the agent compacted into rollups before sending (stored as rollups only).</param>
/// <param name="Gaps">Open (unfilled) sequence gaps.</param>
/// <param name="ConnectedAt">When the open stream started, null when offline.</param>
/// <param name="Health">The last health report on the open stream, null when none.</param>
internal sealed record AgentView(
    string AgentId,
    bool Online,
    string FirstSeen,
    string LastSeen,
    string AgentVersion,
    ulong HighestSequence,
    long Batches,
    long Points,
    long DroppedPoints,
    long CompactedPoints,
    int Gaps,
    string? ConnectedAt,
    HealthView? Health);
