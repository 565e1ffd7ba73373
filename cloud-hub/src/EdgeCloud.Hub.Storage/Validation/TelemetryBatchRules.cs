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

        return FindAlarmViolation(batch) ?? FindRollupViolation(batch) ?? FindCompactedViolation(batch);
    }

    /// <summary>
    /// Compacted entries: each stands for an earlier batch of the agent under its own sequence (below the
    /// carrier's, once per carrier) and carries no entries of its own.
    /// </summary>
    private static string? FindCompactedViolation(TelemetryBatch batch)
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < batch.Compacted.Count; i++)
        {
            var entry = batch.Compacted[i];
            var where = $"batch sequence {batch.Sequence}, compacted entry {i}";
            if (entry.Sequence == 0 || entry.Sequence >= batch.Sequence)
            {
                return $"{where}: sequence {entry.Sequence} must lie between 1 and {batch.Sequence - 1}, below the carrying batch";
            }

            if (!seen.Add(entry.Sequence))
            {
                return $"{where}: sequence {entry.Sequence} appears twice";
            }

            if (entry.Compacted.Count > 0)
            {
                return $"{where} (sequence {entry.Sequence}): a compacted entry cannot carry entries of its own";
            }

            if (FindViolation(entry) is { } inner)
            {
                return $"{where}: {inner}";
            }
        }

        return null;
    }

    /// <summary>Rollups: a valid tag, a window dividing a minute and aligned to it, finite statistics that agree.</summary>
    private static string? FindRollupViolation(TelemetryBatch batch)
    {
        ulong counted = 0;
        for (var i = 0; i < batch.Rollups.Count; i++)
        {
            var rollup = batch.Rollups[i];
            var where = $"batch sequence {batch.Sequence}, rollup {i}";
            if (!NameRules.IsValidTag(rollup.Tag))
            {
                return $"{where}: tag '{NameRules.Excerpt(rollup.Tag)}' is not {NameRules.TagRuleText}";
            }

            var width = (ulong)rollup.WindowSeconds * 1_000_000_000UL;
            if (rollup.WindowSeconds is 0 or > 60 || 60 % rollup.WindowSeconds != 0 || rollup.WindowStartUnixNano % width != 0 || rollup.WindowStartUnixNano > long.MaxValue - width)
            {
                return $"{where} (tag '{rollup.Tag}'): window of {rollup.WindowSeconds} s at {rollup.WindowStartUnixNano} must divide 60 s and start on a multiple of itself";
            }

            if (rollup.Count == 0 || rollup.Count > long.MaxValue || !double.IsFinite(rollup.Min) || !double.IsFinite(rollup.Max) || !double.IsFinite(rollup.Sum) || !double.IsFinite(rollup.Last)
                || rollup.Min > rollup.Max || rollup.Last < rollup.Min || rollup.Last > rollup.Max)
            {
                return $"{where} (tag '{rollup.Tag}'): count must be at least 1 and min <= last <= max, all finite (count {rollup.Count}, min {rollup.Min}, max {rollup.Max}, last {rollup.Last})";
            }

            if (rollup.LastTimeUnixNano < rollup.WindowStartUnixNano || rollup.LastTimeUnixNano - rollup.WindowStartUnixNano >= width)
            {
                return $"{where} (tag '{rollup.Tag}'): last_time_unix_nano {rollup.LastTimeUnixNano} lies outside its window";
            }

            counted += rollup.Count;
        }

        return counted == batch.CompactedPoints
            ? null
            : $"batch sequence {batch.Sequence}: compacted_points {batch.CompactedPoints} differs from the {counted} points its rollups count";
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
