namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>What the alarm journal file holds: open alarms, shelvings, events not yet in the outbox, the next event number.</summary>
/// <param name="Version">Format version (<see cref="CurrentVersion"/>).</param>
/// <param name="NextEventNumber">The number the next event gets.</param>
/// <param name="Alarms">Open alarms.</param>
/// <param name="Shelves">Shelvings and suppressions in force.</param>
/// <param name="Pending">Events not yet in the outbox, oldest first.</param>
public sealed record AlarmJournalState(int Version, ulong NextEventNumber, List<Alarm> Alarms, List<AlarmShelf> Shelves, List<AlarmEventRecord> Pending)
{
    /// <summary>The format written by this version.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The state of an agent that never had an alarm.</summary>
    public static AlarmJournalState Empty => new(CurrentVersion, 1, [], [], []);
}
