namespace EdgeCloud.Hub.Storage.InMemory;

/// <summary>What <see cref="InMemoryTelemetryStore"/> keeps per agent. Not thread-safe: used under the store's lock.</summary>
internal sealed class InMemoryAgentState(string agentId, DateTimeOffset firstSeen)
{
    public string OutboxEpoch { get; set; } = "";

    public string AgentId { get; } = agentId;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    public DateTimeOffset LastSeen { get; set; } = firstSeen;

    public string Version { get; set; } = "";

    public ulong HighestSequence { get; set; }

    public long Batches { get; set; }

    public long Points { get; set; }

    public long DroppedPoints { get; set; }

    public long CompactedPoints { get; set; }

    public SortedSet<ulong> Sequences { get; } = [];

    public List<InMemoryGap> Gaps { get; } = [];

    public List<Alarms.StoredAlarmEvent> Alarms { get; } = [];

    public Dictionary<string, List<StoredPoint>> Series { get; } = new(StringComparer.Ordinal);

    public Dictionary<Rollups.RollupKey, Rollups.RollupBucket> Rollups { get; } = [];

    public AgentRecord ToRecord() => new(
        AgentId, FirstSeen, LastSeen, Version, HighestSequence, Batches, Points, DroppedPoints, Gaps.Count(g => g.FilledAt is null), CompactedPoints);
}
