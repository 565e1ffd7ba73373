using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.Alarms;

/// <summary>One stored alarm event and the batch it came in.</summary>
/// <param name="AgentId">The agent that raised it.</param>
/// <param name="Sequence">The sequence of the batch that carried it.</param>
/// <param name="Event">The event as the agent sent it.</param>
public sealed record StoredAlarmEvent(string AgentId, ulong Sequence, AlarmEvent Event);
