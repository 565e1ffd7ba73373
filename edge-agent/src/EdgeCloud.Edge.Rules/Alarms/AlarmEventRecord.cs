namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// One alarm event as the agent records, persists and sends it. <see cref="EventNumber"/> is
/// strictly increasing per agent and survives restarts (it is persisted with the alarms), so
/// (agent, event number) identifies an event: a receiver drops one it already has.
/// </summary>
/// <param name="EventNumber">Per-agent event counter, from 1.</param>
/// <param name="Kind">What happened.</param>
/// <param name="AlarmId">The alarm's id; empty for a shelve or suppress of a rule + tag without an alarm.</param>
/// <param name="Rule">Rule name.</param>
/// <param name="Tag">Tag address the alarm belongs to.</param>
/// <param name="State">The alarm's state after the event.</param>
/// <param name="Severity">1-1000.</param>
/// <param name="Time">When it happened (point time for raise and clear, agent clock otherwise).</param>
/// <param name="Message">Text for an operator.</param>
/// <param name="Value">The value behind the event, NaN when none.</param>
/// <param name="ShelvedUntil">End of the shelving in force, if any.</param>
/// <param name="SuppressedUntil">End of the suppression in force, if any.</param>
/// <param name="User">Who acknowledged, shelved or suppressed; empty for the engine.</param>
public sealed record AlarmEventRecord(
    ulong EventNumber,
    AlarmEventKind Kind,
    string AlarmId,
    string Rule,
    string Tag,
    AlarmState State,
    int Severity,
    DateTimeOffset Time,
    string Message,
    double Value,
    DateTimeOffset? ShelvedUntil,
    DateTimeOffset? SuppressedUntil,
    string User)
{
    /// <summary>False while rule + tag is shelved or suppressed: the event is recorded and sent, not announced.</summary>
    public bool Announced =>
        Kind is not (AlarmEventKind.Raised or AlarmEventKind.Cleared or AlarmEventKind.Acknowledged) ||
        (ShelvedUntil is null && SuppressedUntil is null);
}
