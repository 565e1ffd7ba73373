namespace EdgeCloud.Hub.Storage.Alarms;

/// <summary>
/// Alarm events the agents sent. They arrive inside telemetry batches (<c>TelemetryBatch.alarms</c>)
/// and are written in the same transaction as the batch's sequence, so the exactly-once guarantee
/// of <see cref="ITelemetryStore"/> covers them too: a replayed batch stores no event twice.
/// </summary>
public interface IAlarmEventStore
{
    /// <summary>
    /// The agent's events with <paramref name="fromUnixNano"/> &lt;= time &lt; <paramref name="toUnixNano"/>,
    /// newest first, at most <paramref name="limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAsync(
        string agentId, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The agent's events with an event number above <paramref name="afterEventNumber"/>, in event-number order,
    /// at most <paramref name="limit"/>: how a consumer (the hub's incidents) reads each event once, from a cursor.
    /// </summary>
    ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAfterAsync(
        string agentId, ulong afterEventNumber, int limit, CancellationToken cancellationToken = default);
}
