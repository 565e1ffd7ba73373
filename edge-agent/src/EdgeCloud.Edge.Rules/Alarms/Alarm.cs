namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>One open alarm (not yet <see cref="AlarmState.Cleared"/>); a snapshot, immutable.</summary>
/// <param name="Id">Unique id.</param>
/// <param name="Rule">Rule name.</param>
/// <param name="Tag">Tag address.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Severity">1-1000.</param>
/// <param name="Message">Text of the latest raise.</param>
/// <param name="Value">Value at the latest raise.</param>
/// <param name="RaisedAt">Time of the latest raise.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, if anyone.</param>
public sealed record Alarm(
    string Id,
    string Rule,
    string Tag,
    AlarmState State,
    int Severity,
    string Message,
    double Value,
    DateTimeOffset RaisedAt,
    string? AcknowledgedBy);
