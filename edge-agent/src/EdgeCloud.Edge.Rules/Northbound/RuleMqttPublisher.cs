using System.Text.Json;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;

namespace EdgeCloud.Edge.Rules.Northbound;

/// <summary>
/// Runs the <c>mqtt</c> rule action: formats the topic and a JSON message
/// (<c>{"rule":"hot","tag":"plc/temperature","event":"raised","severity":900,"value":30.5,"message":"…","ts":"…"}</c>)
/// and queues it on the MQTT publisher without waiting. The rate limit has been applied by
/// the caller. Without a configured publisher nothing is queued (the loader refuses such a config).
/// </summary>
internal sealed class RuleMqttPublisher(string agentId, IMqttOutbound? outbound)
{
    /// <summary>Queues the message; false when it was not queued.</summary>
    public bool Publish(RuleMqttPublish target, string rule, string alarmTag, bool raised, int severity, double value, string message, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (outbound is not { IsConfigured: true })
        {
            return false;
        }

        using var stream = new MemoryStream(192);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("rule", rule);
            json.WriteString("tag", alarmTag);
            json.WriteString("event", raised ? "raised" : "cleared");
            json.WriteNumber("severity", severity);
            AlarmEventJson.WriteValue(json, value);
            json.WriteString("message", message);
            json.WriteString("ts", time.UtcDateTime);
            json.WriteEndObject();
        }

        return outbound.TryQueue(RuleTopic.Format(target.Topic, agentId, rule, alarmTag), stream.ToArray(), target.Qos, target.Retain);
    }
}
