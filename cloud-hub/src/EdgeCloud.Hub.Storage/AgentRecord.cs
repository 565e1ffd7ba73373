namespace EdgeCloud.Hub.Storage;

/// <summary>
/// What the hub has stored about one agent. Counters only grow; <see cref="LastSeen"/> never moves back.
/// </summary>
/// <param name="AgentId">The agent's id (see <see cref="Validation.NameRules"/>).</param>
/// <param name="FirstSeen">When the hub first heard of the agent.</param>
/// <param name="LastSeen">The last stored time the agent was heard from (the live registry may know a later one).</param>
/// <param name="AgentVersion">Version the agent reported in its last hello; empty when never reported.</param>
/// <param name="HighestSequence">Highest batch sequence stored, 0 when none.</param>
/// <param name="Batches">Batches stored (duplicates not counted).</param>
/// <param name="Points">Points stored.</param>
/// <param name="DroppedPoints">Points the agent reported it dropped before sending (disk budget or TTL).</param>
/// <param name="OpenGaps">Gaps not filled yet.</param>
/// <param name="CompactedPoints">Raw points the agent compacted into rollups before sending; stored as rollups only.</param>
public sealed record AgentRecord(
    string AgentId,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string AgentVersion,
    ulong HighestSequence,
    long Batches,
    long Points,
    long DroppedPoints,
    int OpenGaps,
    long CompactedPoints = 0);
