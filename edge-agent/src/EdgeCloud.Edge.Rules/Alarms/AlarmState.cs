namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>Where an alarm is in its lifecycle (after ISA-18.2's states, without the return-to-normal subtleties).</summary>
public enum AlarmState
{
    /// <summary>Raised, condition present, not acknowledged.</summary>
    Active,

    /// <summary>Condition present, acknowledged by an operator.</summary>
    Acknowledged,

    /// <summary>Condition gone, but nobody acknowledged the alarm yet.</summary>
    ClearedUnacknowledged,

    /// <summary>Condition gone and acknowledged: the alarm is closed.</summary>
    Cleared,
}
