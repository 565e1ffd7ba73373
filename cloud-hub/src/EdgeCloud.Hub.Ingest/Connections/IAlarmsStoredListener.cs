namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// Told, after the commit, that a stored batch carried alarm events of an agent (the events themselves are read
/// back from <see cref="Storage.Alarms.IAlarmEventStore"/>, from the listener's own cursor). Called on the
/// stream's loop: it must only take note and return, never wait.
/// </summary>
public interface IAlarmsStoredListener
{
    /// <summary>New alarm events of <paramref name="agentId"/> are stored.</summary>
    void OnAlarmsStored(string agentId);
}
