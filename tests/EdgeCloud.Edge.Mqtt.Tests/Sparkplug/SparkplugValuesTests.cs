using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Sparkplug;
using EdgeCloud.Edge.Points;
using Metric = EdgeCloud.Edge.Mqtt.Sparkplug.Protos.Payload.Types.Metric;

namespace EdgeCloud.Edge.Mqtt.Tests.Sparkplug;

public sealed class SparkplugValuesTests
{
    private static readonly (SparkplugDataType Type, Action<Metric> Set, object Expected)[] Cases =
    [
        (SparkplugDataType.Int8, m => m.IntValue = 0xFFFFFF80, -128L),
        (SparkplugDataType.Int16, m => m.IntValue = 0xFFFF8000, -32768L),
        (SparkplugDataType.Int32, m => m.IntValue = 0x80000000, -2147483648L),
        (SparkplugDataType.UInt8, m => m.IntValue = 255, 255L),
        (SparkplugDataType.UInt16, m => m.IntValue = 65535, 65535L),
        (SparkplugDataType.UInt32, m => m.IntValue = uint.MaxValue, 4294967295L),
        (SparkplugDataType.Int64, m => m.LongValue = ulong.MaxValue, -1L),
        (SparkplugDataType.UInt64, m => m.LongValue = 1UL << 62, 1L << 62),
        (SparkplugDataType.UInt64, m => m.LongValue = ulong.MaxValue, 18446744073709551615.0),
        (SparkplugDataType.DateTime, m => m.LongValue = 1795515330250, 1795515330250L),
        (SparkplugDataType.Float, m => m.FloatValue = 0.5f, 0.5),
        (SparkplugDataType.Double, m => m.DoubleValue = -1e300, -1e300),
        (SparkplugDataType.Boolean, m => m.BooleanValue = true, true),
        (SparkplugDataType.String, m => m.StringValue = "ok", "ok"),
        (SparkplugDataType.Uuid, m => m.StringValue = "7c9e6679-7425-40de-944b-e07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        (SparkplugDataType.Unknown, m => m.DoubleValue = 2.5, 2.5),
    ];

    public static TheoryData<int> CaseNumbers => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public void TryConvert_EachDataType_ReadsTheValue(int number)
    {
        var (type, set, expected) = Cases[number];
        var metric = new Metric();
        set(metric);

        Assert.True(SparkplugValues.TryConvert(metric, type, out var value, out _));

        var wanted = expected switch
        {
            long l => TagValue.FromInteger(l),
            double d => TagValue.FromNumber(d),
            bool b => TagValue.FromFlag(b),
            _ => TagValue.FromText((string)expected),
        };
        Assert.Equal(wanted, value);
    }

    [Theory]
    [InlineData(16u, MqttBadReason.UnsupportedType)] // DataSet
    [InlineData(19u, MqttBadReason.UnsupportedType)] // Template
    [InlineData(17u, MqttBadReason.UnsupportedType)] // Bytes
    [InlineData(3u, MqttBadReason.WrongType)] // Int32 declared, a double sent
    public void TryConvert_UnsupportedOrMismatched_GivesReason(uint type, MqttBadReason reason)
    {
        var metric = new Metric { DoubleValue = 1 };

        Assert.False(SparkplugValues.TryConvert(metric, (SparkplugDataType)type, out var value, out var why));
        Assert.Equal((TagValue.None, reason), (value, why));
    }
}
