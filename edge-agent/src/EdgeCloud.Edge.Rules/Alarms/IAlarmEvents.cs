namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// Alarm events for other components (the MQTT publisher): each subscriber gets its own bounded
/// channel. Overflow policy: <b>drop oldest</b>, counted in <c>edge_alarm_subscriber_drops</c> —
/// a slow subscriber never holds up the rules; the outbox copy of every event is complete anyway.
/// </summary>
public interface IAlarmEvents
{
    /// <summary>Subscribes to events from now on; <paramref name="announcedOnly"/> skips shelved and suppressed ones.</summary>
    System.Threading.Channels.ChannelReader<AlarmEventRecord> Subscribe(int capacity, bool announcedOnly);
}
