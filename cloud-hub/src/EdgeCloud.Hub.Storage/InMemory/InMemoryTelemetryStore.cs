using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.InMemory;

/// <summary>
/// <see cref="ITelemetryStore"/> in process memory, with the same observable behaviour as the SQLite
/// store (dedupe, gaps, ordering, counters) and nothing durable. For tests and demos: the shared
/// behaviour tests run against both, so a difference between them is a failing test.
/// </summary>
internal sealed partial class InMemoryTelemetryStore : ITelemetryStore, ITelemetryRollups, ITelemetryRetention
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InMemoryAgentState> _agents = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IngestResult> IngestAsync(string agentId, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        IngestAsync(agentId, "", batch, receivedAt, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> GetOutboxEpochAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_agents.TryGetValue(agentId, out var agent) ? agent.OutboxEpoch : "");
        }
    }

    /// <summary>True: every call completes before it returns, under one lock.</summary>
    public bool PreservesCallOrder => true;

    /// <inheritdoc />
    public ValueTask<IngestResult> IngestAsync(string agentId, string outboxEpoch, TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outboxEpoch);
        ThrowIfInvalidAgent(agentId);
        TelemetryBatchRules.ThrowIfInvalid(batch);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var agent = GetOrAdd(agentId, receivedAt);
            var sequence = batch.Sequence;
            var highest = agent.HighestSequence;
            if (!agent.Sequences.Add(sequence))
            {
                return ValueTask.FromResult(IngestResult.Duplicate(highest));
            }

            ulong? gapFrom = null, gapTo = null;
            var filled = false;
            var newLife = outboxEpoch.Length > 0 && agent.OutboxEpoch.Length > 0 && outboxEpoch != agent.OutboxEpoch;
            if (outboxEpoch.Length > 0)
            {
                agent.OutboxEpoch = outboxEpoch;
            }

            if (sequence > highest + 1 && !newLife)
            {
                agent.Gaps.Add(new InMemoryGap(highest + 1, sequence - 1, receivedAt));
                (gapFrom, gapTo) = (highest + 1, sequence - 1);
            }
            else if (sequence < highest)
            {
                var gap = agent.Gaps.Find(g => g.FilledAt is null && g.From <= sequence && sequence <= g.To);
                if (gap is not null && agent.Sequences.GetViewBetween(gap.From, gap.To).Count == (int)(gap.To - gap.From + 1))
                {
                    gap.FilledAt = receivedAt;
                    filled = true;
                }
            }

            foreach (var alarm in batch.Alarms)
            {
                if (agent.Alarms.Exists(e => e.Event.EventNumber == alarm.EventNumber))
                {
                    continue; // sent twice (moved above a budget drop): stored once
                }

                agent.Alarms.Add(new Alarms.StoredAlarmEvent(agentId, sequence, alarm));
            }

            foreach (var point in batch.Points)
            {
                if (!agent.Series.TryGetValue(point.Tag, out var series))
                {
                    series = [];
                    agent.Series.Add(point.Tag, series);
                }

                series.Add(ToStored(point));
            }

            foreach (var (key, bucket) in BatchRollup.Fold(batch))
            {
                agent.Rollups[key] = agent.Rollups.TryGetValue(key, out var stored) ? stored.Merge(bucket) : bucket;
            }

            agent.HighestSequence = Math.Max(highest, sequence);
            agent.Batches++;
            agent.Points += batch.Points.Count;
            agent.DroppedPoints += (long)Math.Min(batch.DroppedPointsBefore, long.MaxValue);
            agent.CompactedPoints += (long)Math.Min(batch.CompactedPoints, long.MaxValue);
            agent.LastSeen = Max(agent.LastSeen, receivedAt);
            return ValueTask.FromResult(new IngestResult(IngestOutcome.Stored, agent.HighestSequence, gapFrom, gapTo, filled));
        }
    }

    /// <inheritdoc />
    public ValueTask<ulong> GetHighestSequenceAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_agents.TryGetValue(agentId, out var agent) ? agent.HighestSequence : 0UL);
        }
    }

    /// <inheritdoc />
    public ValueTask TouchAgentAsync(string agentId, string? agentVersion, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        lock (_lock)
        {
            var agent = GetOrAdd(agentId, seenAt);
            agent.LastSeen = Max(agent.LastSeen, seenAt);
            agent.Version = agentVersion ?? agent.Version;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<AgentRecord>>(
                [.. _agents.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal).Select(a => a.ToRecord())]);
        }
    }

    /// <inheritdoc />
    public ValueTask<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_agents.TryGetValue(agentId, out var agent) ? agent.ToRecord() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredPoint>> QueryPointsAsync(
        string agentId, string tag, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var agent) || !agent.Series.TryGetValue(tag, out var series))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredPoint>>([]);
            }

            // OrderBy is stable: equal times keep arrival order, like the SQLite store's rowid tie-break.
            return ValueTask.FromResult<IReadOnlyList<StoredPoint>>(
                [.. series.Where(p => p.TimeUnixNano >= fromUnixNano && p.TimeUnixNano < toUnixNano).OrderBy(p => p.TimeUnixNano).Take(limit)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GapRecord>> ListGapsAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var agent))
            {
                return ValueTask.FromResult<IReadOnlyList<GapRecord>>([]);
            }

            return ValueTask.FromResult<IReadOnlyList<GapRecord>>(
                [.. agent.Gaps.OrderBy(g => g.From).Select(g => new GapRecord(
                    agentId, g.From, g.To, g.DetectedAt, g.FilledAt,
                    g.To - g.From + 1 - (ulong)agent.Sequences.GetViewBetween(g.From, g.To).Count))]);
        }
    }

    /// <inheritdoc />
    public ValueTask PingAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    private static StoredPoint ToStored(Point point)
    {
        object? value = point.ValueCase switch
        {
            Point.ValueOneofCase.Number => point.Number,
            Point.ValueOneofCase.Integer => point.Integer,
            Point.ValueOneofCase.Flag => point.Flag,
            Point.ValueOneofCase.Text => point.Text,
            _ => null,
        };
        return new StoredPoint((long)point.TimeUnixNano, value, point.Quality, point.StatusDetail);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static void ThrowIfInvalidAgent(string agentId)
    {
        if (!NameRules.IsValidAgentId(agentId))
        {
            throw new ArgumentException($"agent id '{NameRules.Excerpt(agentId)}' is not {NameRules.NameRuleText}", nameof(agentId));
        }
    }

    private InMemoryAgentState GetOrAdd(string agentId, DateTimeOffset now)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            agent = new InMemoryAgentState(agentId, now);
            _agents.Add(agentId, agent);
        }

        return agent;
    }
}
