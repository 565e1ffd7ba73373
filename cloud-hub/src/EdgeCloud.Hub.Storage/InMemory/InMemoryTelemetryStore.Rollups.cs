using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;

namespace EdgeCloud.Hub.Storage.InMemory;

/// <summary>Rollup reads and retention for the in-memory twin, with the databases' ordering and limits.</summary>
internal sealed partial class InMemoryTelemetryStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RollupBucket>> QueryRollupsAsync(
        string agentId, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var agent))
            {
                return ValueTask.FromResult<IReadOnlyList<RollupBucket>>([]);
            }

            return ValueTask.FromResult<IReadOnlyList<RollupBucket>>(
                [.. Select(agent, tag, resolution, fromUnixNano, toUnixNano).OrderBy(b => b.BucketUnixNano).Take(limit)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentRollupBucket>> QueryFleetRollupsAsync(
        IReadOnlyCollection<string> agentIds, string tag, RollupResolution resolution, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            var rows = agentIds.Distinct(StringComparer.Ordinal)
                .Where(_agents.ContainsKey)
                .SelectMany(id => Select(_agents[id], tag, resolution, fromUnixNano, toUnixNano).Select(b => new AgentRollupBucket(id, b)))
                .OrderBy(r => r.Bucket.BucketUnixNano).ThenBy(r => r.AgentId, StringComparer.Ordinal)
                .Take(limit);
            return ValueTask.FromResult<IReadOnlyList<AgentRollupBucket>>([.. rows]);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(RetentionTier tier, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default) =>
        DeleteExpiredStepAsync(tier, null, cutoffUnixNano, maxRows);

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(RetentionTier tier, string agentId, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        return DeleteExpiredStepAsync(tier, agentId, cutoffUnixNano, maxRows);
    }

    /// <summary>Both retention steps: every agent when <paramref name="agentId"/> is null, else that agent only.</summary>
    private ValueTask<int> DeleteExpiredStepAsync(RetentionTier tier, string? agentId, long cutoffUnixNano, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var deleted = 0;
        lock (_lock)
        {
            foreach (var agent in _agents.Where(a => agentId is null || a.Key == agentId).Select(a => a.Value))
            {
                if (tier == RetentionTier.Raw)
                {
                    foreach (var series in agent.Series.Values)
                    {
                        // Keeps arrival order of what stays; stops deleting at the budget like the databases' LIMIT.
                        var kept = new List<StoredPoint>(series.Count);
                        foreach (var point in series)
                        {
                            if (point.TimeUnixNano < cutoffUnixNano && deleted < maxRows)
                            {
                                deleted++;
                            }
                            else
                            {
                                kept.Add(point);
                            }
                        }

                        series.Clear();
                        series.AddRange(kept);
                    }

                    continue;
                }

                var resolution = tier == RetentionTier.OneMinute ? RollupResolution.OneMinute : RollupResolution.OneHour;
                foreach (var key in agent.Rollups.Keys.Where(k => k.Resolution == resolution && k.BucketUnixNano < cutoffUnixNano).ToList())
                {
                    if (deleted == maxRows)
                    {
                        break;
                    }

                    agent.Rollups.Remove(key);
                    deleted++;
                }
            }
        }

        return ValueTask.FromResult(deleted);
    }

    private static IEnumerable<RollupBucket> Select(InMemoryAgentState agent, string tag, RollupResolution resolution, long from, long to) =>
        agent.Rollups.Where(r => r.Key.Resolution == resolution && r.Key.Tag == tag && r.Key.BucketUnixNano >= from && r.Key.BucketUnixNano < to)
            .Select(r => r.Value);
}
