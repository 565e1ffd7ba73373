using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage.Alarms;

namespace EdgeCloud.Hub.Api.Agents;

/// <summary>One alarm event as the API shows it.</summary>
/// <param name="Sequence">Sequence of the batch that carried it.</param>
/// <param name="AlarmId">The alarm (one per rule and tag while active).</param>
/// <param name="Kind">What happened: raised, acknowledged, cleared, shelved...</param>
/// <param name="Rule">The rule that owns the alarm.</param>
/// <param name="Tag">The tag it is about.</param>
/// <param name="State">The alarm's state after the event.</param>
/// <param name="Severity">Severity, higher is worse.</param>
/// <param name="Time">When it happened on the agent, ISO-8601 UTC.</param>
/// <param name="Message">Text for the operator.</param>
/// <param name="Value">The value that caused it; null when there was none.</param>
internal sealed record AlarmEventView(ulong Sequence, string AlarmId, string Kind, string Rule, string Tag, string State, uint Severity, string Time, string Message, double? Value)
{
    public static AlarmEventView From(StoredAlarmEvent stored)
    {
        var e = stored.Event;
        return new AlarmEventView(
            stored.Sequence, e.AlarmId, e.Kind, e.Rule, e.Tag, e.State, e.Severity,
            Iso8601.FormatUnixNanos((long)Math.Min(e.TimeUnixNano, long.MaxValue)), e.Message, double.IsFinite(e.Value) ? e.Value : null);
    }
}
