namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>One agent's rollup bucket of a tag, as a fleet query returns it.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Bucket">The bucket's statistics.</param>
public readonly record struct AgentRollupBucket(string AgentId, RollupBucket Bucket);
