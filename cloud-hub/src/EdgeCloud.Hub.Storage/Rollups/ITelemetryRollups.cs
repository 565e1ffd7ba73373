namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>
/// The rollups a store keeps beside its raw points. Invariants: a bucket is updated in the same transaction
/// as the batch that contributes to it, so it holds exactly the stored points (a duplicate batch adds
/// nothing); buckets are returned ordered by start time. Implemented by every <see cref="ITelemetryStore"/>
/// of this assembly (resolve it from DI; it is the same object).
/// </summary>
public interface ITelemetryRollups
{
    /// <summary>Buckets of one tag of one agent whose start lies in [<paramref name="fromUnixNano"/>, <paramref name="toUnixNano"/>), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<RollupBucket>> QueryRollupsAsync(
        string agentId, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Buckets of one tag of each of <paramref name="agentIds"/> (one entry per agent and bucket), ordered by
    /// bucket start then agent id, at most <paramref name="limit"/> rows. Grouping agents (by label, site,
    /// tenant) is the caller's: the store only knows agent ids.
    /// </summary>
    ValueTask<IReadOnlyList<AgentRollupBucket>> QueryFleetRollupsAsync(
        IReadOnlyCollection<string> agentIds, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default);
}
