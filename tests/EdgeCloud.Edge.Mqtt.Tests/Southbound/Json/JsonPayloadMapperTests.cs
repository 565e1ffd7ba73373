using System.Buffers;
using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Southbound.Json;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound.Json;

public sealed class JsonPayloadMapperTests : IDisposable
{
    private static readonly DateTimeOffset Arrival = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly CollectingLoggerProvider _logs = new();
    private readonly MqttMetrics _metrics = TestMeters.NewMetrics();

    public void Dispose() => _logs.Dispose();

    private JsonPayloadMapper Mapper(MqttJsonTimestampConfig? timestamp, params MqttJsonTagConfig[] tags) =>
        new(new MqttJsonSubscriptionConfig("plant/+/data", 1, timestamp, tags, "$.devices[0].subscriptions[0]"), new PayloadProblems("dev1", _metrics, _logs));

    private static List<DataPoint> Map(JsonPayloadMapper mapper, string payload)
    {
        var points = new List<DataPoint>();
        mapper.Map("plant/a/data", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), Arrival, points, new List<MqttApplicationMessage>());
        return points;
    }

    [Theory]
    [InlineData("\"2026-11-24T10:15:30.250Z\"", MqttTimestampFormat.Iso8601, "2026-11-24T10:15:30.2500000+00:00")]
    [InlineData("\"2026-11-24T11:15:30.250+01:00\"", MqttTimestampFormat.Iso8601, "2026-11-24T10:15:30.2500000+00:00")]
    [InlineData("1795515330250", MqttTimestampFormat.EpochMilliseconds, "2026-11-24T10:15:30.2500000+00:00")]
    [InlineData("1795515330.25", MqttTimestampFormat.EpochSeconds, "2026-11-24T10:15:30.2500000+00:00")]
    public void Map_TimestampFormats_StampThePoints(string ts, MqttTimestampFormat format, string expected)
    {
        var mapper = Mapper(new MqttJsonTimestampConfig("/meta/ts", format), new MqttJsonTagConfig("temp", "/temp", MqttValueKind.Number));

        var point = Assert.Single(Map(mapper, $$"""{ "temp": 21.5, "meta": { "ts": {{ts}} } }"""));

        Assert.Equal((TagValue.FromNumber(21.5), PointQuality.Good), (point.Value, point.Quality));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), point.Timestamp);
        Assert.Equal(TimeSpan.Zero, point.Timestamp.Offset);
    }

    [Fact]
    public void Map_TimestampWithoutOffset_UsesArrivalAndUncertain()
    {
        var mapper = Mapper(new MqttJsonTimestampConfig("/ts", MqttTimestampFormat.Iso8601), new MqttJsonTagConfig("temp", "/temp", MqttValueKind.Number));

        var point = Assert.Single(Map(mapper, """{ "temp": 1, "ts": "2026-11-24T10:15:30" }"""));

        Assert.Equal((Arrival, PointQuality.Uncertain, (uint)MqttBadReason.BadTimestamp), (point.Timestamp, point.Quality, point.StatusDetail));
        Assert.Equal(1, _logs.Count(6310));
    }

    [Fact]
    public void Map_EveryKindAndPointerForm_ReadsTheValues()
    {
        var mapper = Mapper(
            null,
            new MqttJsonTagConfig("n", "/sensors/1/v", MqttValueKind.Number),
            new MqttJsonTagConfig("i", "/count", MqttValueKind.Integer),
            new MqttJsonTagConfig("b", "/state/run~1stop", MqttValueKind.Bool),
            new MqttJsonTagConfig("t", "/name", MqttValueKind.Text),
            new MqttJsonTagConfig("a", "/a~0b", MqttValueKind.Auto));

        var points = Map(mapper, """{ "sensors": [ { "v": 1 }, { "v": -2.5 } ], "count": 9007199254740993, "state": { "run/stop": true }, "name": "P-7", "a~b": "x" }""");

        Assert.Equal(
            [TagValue.FromNumber(-2.5), TagValue.FromInteger(9007199254740993), TagValue.FromFlag(true), TagValue.FromText("P-7"), TagValue.FromText("x")],
            points.Select(p => p.Value));
        Assert.All(points, p => Assert.Equal((PointQuality.Good, Arrival), (p.Quality, p.Timestamp)));
    }

    [Fact]
    public void Map_MissingPointerAndWrongType_GiveBadPointsWithReasons()
    {
        var mapper = Mapper(null, new MqttJsonTagConfig("gone", "/nope", MqttValueKind.Number), new MqttJsonTagConfig("typed", "/s", MqttValueKind.Integer), new MqttJsonTagConfig("ok", "/n", MqttValueKind.Number));

        var points = Map(mapper, """{ "s": "12", "n": 3 }""");

        Assert.Equal(
            [("gone", PointQuality.Bad, (uint)MqttBadReason.PointerNotFound), ("typed", PointQuality.Bad, (uint)MqttBadReason.WrongType), ("ok", PointQuality.Good, 0u)],
            points.Select(p => (p.Tag, p.Quality, p.StatusDetail)));
    }

    [Fact]
    public void Map_BrokenPayloadRepeated_BadEveryTimeLoggedOnceCountedEveryTime()
    {
        var mapper = Mapper(null, new MqttJsonTagConfig("a", "/a", MqttValueKind.Number), new MqttJsonTagConfig("b", "/b", MqttValueKind.Number));

        for (var i = 0; i < 5; i++)
        {
            var points = Map(mapper, "{ \"a\": 1, ");
            Assert.All(points, p => Assert.Equal((PointQuality.Bad, (uint)MqttBadReason.PayloadNotParsed, TagValueKind.None), (p.Quality, p.StatusDetail, p.Value.Kind)));
            Assert.Equal(2, points.Count);
        }

        Assert.Equal(1, _logs.Count(6310));
        Assert.Equal(10, _metrics.BadValues);
        Assert.Equal(2, Map(mapper, """{ "a": 1, "b": 2 }""").Count(p => p.Quality == PointQuality.Good));
        Assert.Equal(1, _logs.Count(6311));
    }
}
