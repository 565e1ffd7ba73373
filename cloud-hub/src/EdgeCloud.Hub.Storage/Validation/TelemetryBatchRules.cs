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

        return null;
    }

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
