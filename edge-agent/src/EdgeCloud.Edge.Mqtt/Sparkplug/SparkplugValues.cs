using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Points;
using Metric = EdgeCloud.Edge.Mqtt.Sparkplug.Protos.Payload.Types.Metric;

namespace EdgeCloud.Edge.Mqtt.Sparkplug;

/// <summary>Reads a Sparkplug metric's value as a <see cref="TagValue"/> according to its data type.</summary>
internal static class SparkplugValues
{
    /// <summary>
    /// Converts <paramref name="metric"/>; <paramref name="type"/> is the metric's own data type, or
    /// the one its birth declared (data messages may leave it out). Signed integers travel as two's
    /// complement in the unsigned fields (6.4.16), so they are cast back through the signed width.
    /// </summary>
    public static bool TryConvert(Metric metric, SparkplugDataType type, out TagValue value, out MqttBadReason reason)
    {
        value = TagValue.None;
        reason = MqttBadReason.None;
        if (metric.IsNull)
        {
            reason = MqttBadReason.NullValue;
            return false;
        }

        if (type == SparkplugDataType.Unknown)
        {
            type = Infer(metric.ValueCase);
        }

        var expected = type switch
        {
            >= SparkplugDataType.Int8 and <= SparkplugDataType.Int32 or >= SparkplugDataType.UInt8 and <= SparkplugDataType.UInt32 => Metric.ValueOneofCase.IntValue,
            SparkplugDataType.Int64 or SparkplugDataType.UInt64 or SparkplugDataType.DateTime => Metric.ValueOneofCase.LongValue,
            SparkplugDataType.Float => Metric.ValueOneofCase.FloatValue,
            SparkplugDataType.Double => Metric.ValueOneofCase.DoubleValue,
            SparkplugDataType.Boolean => Metric.ValueOneofCase.BooleanValue,
            SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid => Metric.ValueOneofCase.StringValue,
            _ => Metric.ValueOneofCase.None,
        };
        if (expected == Metric.ValueOneofCase.None)
        {
            reason = MqttBadReason.UnsupportedType;
            return false;
        }

        if (metric.ValueCase != expected)
        {
            reason = metric.ValueCase == Metric.ValueOneofCase.None ? MqttBadReason.PointerNotFound : MqttBadReason.WrongType;
            return false;
        }

        value = type switch
        {
            SparkplugDataType.Int8 => TagValue.FromInteger(unchecked((sbyte)metric.IntValue)),
            SparkplugDataType.Int16 => TagValue.FromInteger(unchecked((short)metric.IntValue)),
            SparkplugDataType.Int32 => TagValue.FromInteger(unchecked((int)metric.IntValue)),
            SparkplugDataType.UInt8 => TagValue.FromInteger((byte)metric.IntValue),
            SparkplugDataType.UInt16 => TagValue.FromInteger((ushort)metric.IntValue),
            SparkplugDataType.UInt32 => TagValue.FromInteger(metric.IntValue),
            SparkplugDataType.Int64 => TagValue.FromInteger(unchecked((long)metric.LongValue)),
            // A UInt64 past long.MaxValue cannot stay exact; a double keeps its magnitude.
            SparkplugDataType.UInt64 => metric.LongValue <= long.MaxValue ? TagValue.FromInteger((long)metric.LongValue) : TagValue.FromNumber(metric.LongValue),
            SparkplugDataType.DateTime => TagValue.FromInteger(unchecked((long)metric.LongValue)),
            SparkplugDataType.Float => TagValue.FromNumber(metric.FloatValue),
            SparkplugDataType.Double => TagValue.FromNumber(metric.DoubleValue),
            SparkplugDataType.Boolean => TagValue.FromFlag(metric.BooleanValue),
            _ => TagValue.FromText(metric.StringValue),
        };
        return true;
    }

    /// <summary>Milliseconds since the epoch as a time, or null when out of range.</summary>
    public static DateTimeOffset? FromEpochMilliseconds(ulong ms) =>
        ms < 253_402_300_800_000 ? DateTimeOffset.UnixEpoch.AddMilliseconds(ms) : null;

    private static SparkplugDataType Infer(Metric.ValueOneofCase value) => value switch
    {
        Metric.ValueOneofCase.IntValue => SparkplugDataType.Int32,
        Metric.ValueOneofCase.LongValue => SparkplugDataType.Int64,
        Metric.ValueOneofCase.FloatValue => SparkplugDataType.Float,
        Metric.ValueOneofCase.DoubleValue => SparkplugDataType.Double,
        Metric.ValueOneofCase.BooleanValue => SparkplugDataType.Boolean,
        Metric.ValueOneofCase.StringValue => SparkplugDataType.String,
        _ => SparkplugDataType.Unknown,
    };
}
