using System.Text.Json;
using EdgeCloud.Edge.Rules.Alarms;

namespace EdgeCloud.Edge.Rules.Northbound;

/// <summary>
/// The MQTT payload of one alarm event, for SCADA and Node-RED consumers:
/// <c>{"eventNumber":12,"kind":"raised","alarmId":"…","rule":"hot","tag":"plc/temperature","state":"active",
/// "severity":900,"value":30.5,"message":"…","ts":"2026-11-24T12:00:00Z","user":"","announced":true,
/// "shelvedUntil":null,"suppressedUntil":null}</c>. Names are camel case; <c>value</c> is null when
/// the event has none; (agent, eventNumber) identifies the event, so a consumer can drop a repeat.
/// </summary>
internal static class AlarmEventJson
{
    public static byte[] Write(AlarmEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("eventNumber", record.EventNumber);
            json.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(record.Kind.ToString()));
            json.WriteString("alarmId", record.AlarmId);
            json.WriteString("rule", record.Rule);
            json.WriteString("tag", record.Tag);
            json.WriteString("state", JsonNamingPolicy.CamelCase.ConvertName(record.State.ToString()));
            json.WriteNumber("severity", record.Severity);
            WriteValue(json, record.Value);
            json.WriteString("message", record.Message);
            json.WriteString("ts", record.Time.UtcDateTime);
            json.WriteString("user", record.User);
            json.WriteBoolean("announced", record.Announced);
            WriteTime(json, "shelvedUntil", record.ShelvedUntil);
            WriteTime(json, "suppressedUntil", record.SuppressedUntil);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A finite value as a number, anything else (NaN: no value) as null: JSON has no NaN.</summary>
    internal static void WriteValue(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber("value", value);
        }
        else
        {
            json.WriteNull("value");
        }
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteString(name, t.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
