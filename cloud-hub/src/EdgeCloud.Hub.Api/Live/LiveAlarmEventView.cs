using EdgeCloud.Hub.Api.Agents;
using EdgeCloud.Hub.Storage.Alarms;

namespace EdgeCloud.Hub.Api.Live;

/// <summary>One alarm event on the live stream: <see cref="AlarmEventView"/>'s fields plus the agent it came from.</summary>
internal sealed record LiveAlarmEventView(
    string AgentId, ulong Sequence, string AlarmId, string Kind, string Rule, string Tag, string State, uint Severity, string Time, string Message, double? Value)
{
    public static LiveAlarmEventView From(StoredAlarmEvent stored)
    {
        var e = AlarmEventView.From(stored);
        return new LiveAlarmEventView(stored.AgentId, e.Sequence, e.AlarmId, e.Kind, e.Rule, e.Tag, e.State, e.Severity, e.Time, e.Message, e.Value);
    }
}
