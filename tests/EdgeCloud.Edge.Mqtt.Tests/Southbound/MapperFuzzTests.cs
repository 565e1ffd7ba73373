using System.Buffers;
using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Southbound.Json;
using EdgeCloud.Edge.Mqtt.Southbound.Sparkplug;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound;

/// <summary>Random and mutated payloads into both mappers: never an exception, only good or bad points with a reason.</summary>
public sealed class MapperFuzzTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Map_MutatedPayloads_NeverThrowAndEveryBadPointHasAReason()
    {
        var metrics = TestMeters.NewMetrics();
        var problems = new PayloadProblems("dev", metrics, NullLogger.Instance);
        var json = new JsonPayloadMapper(
            new MqttJsonSubscriptionConfig("t", 1, new MqttJsonTimestampConfig("/ts", MqttTimestampFormat.Iso8601),
                [new("a", "/a/0/b", MqttValueKind.Number), new("s", "/s", MqttValueKind.Auto)], "$"),
            problems);
        var sparkplug = new SparkplugNodeMapper(
            new MqttSparkplugSubscriptionConfig("G", "N", 1, [new("x", "X", null), new("y", "Y", "D")], "$"),
            problems, metrics, TimeProvider.System, NullLogger.Instance);
        var jsonSeed = Encoding.UTF8.GetBytes("""{ "ts": "2026-11-24T10:00:00Z", "a": [ { "b": 1.5 } ], "s": "text" }""");
        var sparkplugSeed = SparkplugNode.Encode(0,
            SparkplugNode.Metric("X", 1, EdgeCloud.Edge.Mqtt.Sparkplug.SparkplugDataType.Double, m => m.DoubleValue = 1),
            SparkplugNode.Metric("bdSeq", null, EdgeCloud.Edge.Mqtt.Sparkplug.SparkplugDataType.Int64, m => m.LongValue = 0));
        var random = new Random(20261124);
        var points = new List<DataPoint>();
        var replies = new List<MqttApplicationMessage>();
        string[] topics = ["spBv1.0/G/NBIRTH/N", "spBv1.0/G/NDATA/N", "spBv1.0/G/DBIRTH/N/D", "spBv1.0/G/DDATA/N/D", "spBv1.0/G/NDEATH/N"];

        for (var i = 0; i < 20_000; i++)
        {
            var jsonBytes = Mutate(random, jsonSeed);
            var sparkplugBytes = Mutate(random, sparkplugSeed);
            json.Map("t", new ReadOnlySequence<byte>(jsonBytes), Now, points, replies);
            sparkplug.Map(topics[i % topics.Length], new ReadOnlySequence<byte>(sparkplugBytes), Now, points, replies);
        }

        Assert.All(points.Where(p => p.Quality != PointQuality.Good), p => Assert.NotEqual(0u, p.StatusDetail));
        Assert.Contains(points, p => p.Quality == PointQuality.Good);
        Assert.Contains(points, p => p.Quality.IsBad());
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        switch (random.Next(4))
        {
            case 0:
                return [.. seed];
            case 1:
                var bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
                return bytes;
            case 2:
                return seed[..random.Next(seed.Length)];
            default:
                var copy = seed.ToArray();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                return copy;
        }
    }
}
