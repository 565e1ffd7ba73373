using System.Collections.Concurrent;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>
/// Each agent's newest point per tag, from the live lane (while a backlog drains) and from stored
/// batches. In memory and per replica: it answers "what is the present value", while history
/// comes from storage. A value only ever moves forward in time; an older point (the backlog
/// reaching it) marks the same value stored instead of replacing it. Bounded per agent.
/// </summary>
public sealed class LatestValues
{
    /// <summary>Tags kept per agent at most.</summary>
    public const int MaxTagsPerAgent = 100_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LatestValue>> _agents = new(StringComparer.Ordinal);

    /// <summary>Takes live-lane points (not stored yet).</summary>
    public void ApplyLive(string agentId, IEnumerable<Point> points) => Apply(agentId, points, stored: false);

    /// <summary>Takes the points of a batch that was just stored.</summary>
    public void ApplyStored(string agentId, IEnumerable<Point> points) => Apply(agentId, points, stored: true);

    /// <summary>The agent's newest values, ordered by tag; empty when none are known.</summary>
    public IReadOnlyList<LatestValue> Get(string agentId) =>
        _agents.TryGetValue(agentId, out var tags)
            ? [.. tags.Values.OrderBy(v => v.Point.Tag, StringComparer.Ordinal)]
            : [];

    private void Apply(string agentId, IEnumerable<Point> points, bool stored)
    {
        var tags = _agents.GetOrAdd(agentId, _ => new ConcurrentDictionary<string, LatestValue>(StringComparer.Ordinal));
        foreach (var point in points)
        {
            if (tags.Count >= MaxTagsPerAgent && !tags.ContainsKey(point.Tag))
            {
                continue;
            }

            tags.AddOrUpdate(
                point.Tag,
                _ => new LatestValue(point, stored),
                (_, current) => point.TimeUnixNano > current.Point.TimeUnixNano
                    ? new LatestValue(point, stored)
                    : stored && !current.Stored && point.TimeUnixNano == current.Point.TimeUnixNano
                        ? current with { Stored = true }
                        : current);
        }
    }
}
