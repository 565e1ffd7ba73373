namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// What operators (and hub commands) do with alarms. Thread-safe. Every change is recorded as an
/// <see cref="AlarmEventRecord"/>, persisted in the data folder and sent to the hub; none blocks on I/O.
/// </summary>
public interface IAlarmService
{
    /// <summary>The open alarms (every state but <see cref="AlarmState.Cleared"/>).</summary>
    IReadOnlyList<Alarm> GetAlarms();

    /// <summary>The shelvings and suppressions in force.</summary>
    IReadOnlyList<AlarmShelf> GetShelves();

    /// <summary>Acknowledges an alarm; false when there is no open alarm with that id or it was acknowledged already. The comment goes into the event's message.</summary>
    bool Acknowledge(string alarmId, string user, string? comment = null);

    /// <summary>
    /// Shelves (<paramref name="suppression"/> false) or suppresses rule + tag for
    /// <paramref name="duration"/>: its alarms keep their lifecycle and are sent, but are not announced.
    /// </summary>
    void Shelve(string rule, string tag, TimeSpan duration, bool suppression, string user, string? comment = null);

    /// <summary>Ends a shelving or suppression early; false when none is in force.</summary>
    bool Unshelve(string rule, string tag, bool suppression, string user);
}
