using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// Alarm events as an agent's rules engine sends them inside a batch, for the tests that push them through a
/// real hub (shared with the dashboard and fleet tests, which link this file).
/// </summary>
internal static class AlarmEvents
{
    /// <summary>
    /// One event of alarm <paramref name="alarmId"/> on <paramref name="tag"/>; <paramref name="kind"/> is what
    /// happened (raised, cleared...), <paramref name="state"/> where it left the alarm.
    /// </summary>
    public static AlarmEvent Create(
        string alarmId, string tag, string kind, string state, uint severity, ulong eventNumber, long timeUnixNano,
        string message = "m", string rule = "r", double value = double.NaN) => new()
        {
            AlarmId = alarmId,
            Tag = tag,
            Kind = kind,
            State = state,
            Rule = rule,
            Severity = severity,
            TimeUnixNano = (ulong)timeUnixNano,
            Message = message,
            EventNumber = eventNumber,
            Value = value,
        };

    /// <summary>A batch of <paramref name="sequence"/> carrying <paramref name="events"/> and no points.</summary>
    public static TelemetryBatch Batch(ulong sequence, params AlarmEvent[] events)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        batch.Alarms.AddRange(events);
        return batch;
    }
}
