using EdgeCloud.Hub.Storage.Alarms;

namespace EdgeCloud.Hub.Storage.InMemory;

/// <summary>Alarm events, kept with the agent's state under the store's lock.</summary>
internal sealed partial class InMemoryTelemetryStore : IAlarmEventStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAsync(
        string agentId, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        lock (_lock)
        {
            IReadOnlyList<StoredAlarmEvent> events = !_agents.TryGetValue(agentId, out var agent)
                ? []
                : [.. agent.Alarms
                    .Where(e => (long)e.Event.TimeUnixNano >= fromUnixNano && (long)e.Event.TimeUnixNano < toUnixNano)
                    .OrderByDescending(e => e.Event.TimeUnixNano).ThenByDescending(e => e.Sequence)
                    .Take(limit)];
            return ValueTask.FromResult(events);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAfterAsync(
        string agentId, ulong afterEventNumber, int limit, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        lock (_lock)
        {
            IReadOnlyList<StoredAlarmEvent> events = !_agents.TryGetValue(agentId, out var agent)
                ? []
                : [.. agent.Alarms.Where(e => e.Event.EventNumber > afterEventNumber).OrderBy(e => e.Event.EventNumber).Take(limit)];
            return ValueTask.FromResult(events);
        }
    }
}
