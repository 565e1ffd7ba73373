using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage.Validation;

/// <summary>
/// What a telemetry batch must satisfy before the hub stores it. A violation is not transient (the agent
/// would resend the same batch forever), so the message names the sequence and the point index and is
/// meant to be logged loudly.
/// </summary>
public static class TelemetryBatchRules
{
    /// <summary>Largest sequence the hub can store (its databases use signed 64-bit integers).</summary>
    public const ulong MaxSequence = long.MaxValue;

    /// <summary>Returns null when the batch is valid, else why it is not.</summary>
    public static string? FindViolation(TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Sequence == 0)
        {
            return "batch sequence 0 is invalid: sequences start at 1";
        }

        if (batch.Sequence > MaxSequence)
        {
            return $"batch sequence {batch.Sequence} is above the hub's limit {MaxSequence}";
        }

        for (var i = 0; i < batch.Points.Count; i++)
        {
            var point = batch.Points[i];
            if (!NameRules.IsValidTag(point.Tag))
            {
                return $"batch sequence {batch.Sequence}, point {i}: tag '{NameRules.Excerpt(point.Tag)}' is not {NameRules.TagRuleText}";
            }

            // A bad or uncertain point may carry no value (the agent sends none when a read failed);
            // a good one without a value is a broken encoder.
            if (point.ValueCase == Point.ValueOneofCase.None && point.Quality == Quality.Good)
            {
                return $"batch sequence {batch.Sequence}, point {i} (tag '{point.Tag}'): quality is good but no value is set";
            }

            if (point.TimeUnixNano > long.MaxValue)
            {
                return $"batch sequence {batch.Sequence}, point {i} (tag '{point.Tag}'): time_unix_nano {point.TimeUnixNano} is beyond the year 2262";
            }
        }

        return FindAlarmViolation(batch);
    }

    /// <summary>Alarm events: bounded texts, a known state, an event number to dedupe by.</summary>
    private static string? FindAlarmViolation(TelemetryBatch batch)
    {
        for (var i = 0; i < batch.Alarms.Count; i++)
        {
            var alarm = batch.Alarms[i];
            var where = $"batch sequence {batch.Sequence}, alarm event {i}";
            if (alarm.EventNumber == 0)
            {
                return $"{where}: event_number 0 is invalid (events are numbered from 1 per agent)";
            }

            if (alarm.AlarmId.Length is 0 or > MaxAlarmText || alarm.Rule.Length > MaxAlarmText || alarm.Tag.Length > MaxAlarmText || alarm.Kind.Length > 64 || alarm.State.Length > 64)
            {
                return $"{where}: alarm_id must have 1-{MaxAlarmText} characters, rule and tag at most {MaxAlarmText}, kind and state at most 64";
            }

            if (alarm.Message.Length > MaxAlarmMessage || alarm.User.Length > MaxAlarmText)
            {
                return $"{where} (alarm '{NameRules.Excerpt(alarm.AlarmId)}'): message is limited to {MaxAlarmMessage} characters and user to {MaxAlarmText}";
            }

            if (alarm.TimeUnixNano > long.MaxValue)
            {
                return $"{where} (alarm '{NameRules.Excerpt(alarm.AlarmId)}'): time_unix_nano {alarm.TimeUnixNano} is beyond the year 2262";
            }
        }

        return null;
    }

    private const int MaxAlarmText = 256;
    private const int MaxAlarmMessage = 4096;

    /// <summary>Throws <see cref="ArgumentException"/> when the batch is invalid.</summary>
    public static void ThrowIfInvalid(TelemetryBatch batch)
    {
        var violation = FindViolation(batch);
        if (violation is not null)
        {
            throw new ArgumentException(violation, nameof(batch));
        }
    }
}
