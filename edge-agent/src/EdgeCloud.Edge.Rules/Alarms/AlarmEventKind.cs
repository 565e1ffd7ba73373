namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>What happened to an alarm.</summary>
public enum AlarmEventKind
{
    /// <summary>The rule became active (a new alarm, or a cleared-unacknowledged one returning).</summary>
    Raised,

    /// <summary>An operator acknowledged it.</summary>
    Acknowledged,

    /// <summary>The rule's condition went away.</summary>
    Cleared,

    /// <summary>An operator shelved rule + tag until a time.</summary>
    Shelved,

    /// <summary>The shelving ended (expired or lifted).</summary>
    Unshelved,

    /// <summary>Rule + tag was suppressed (maintenance, out of service) until a time.</summary>
    Suppressed,

    /// <summary>The suppression ended.</summary>
    Unsuppressed,
}
