using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Southbound.Json;
using EdgeCloud.Edge.Mqtt.Southbound.Sparkplug;
using EdgeCloud.Edge.Mqtt.Sparkplug.Protos;
using EdgeCloud.Edge.Points;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// Per-message cost of the MQTT mappers: a JSON message with five tags and an epoch-ms timestamp,
/// and a Sparkplug DDATA with ten metrics by alias. Each has its bound in the same run: the raw
/// System.Text.Json parse reading the same five values, and the raw protobuf parse of the payload
/// (the part of the Sparkplug path that is not ours).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MqttDecodeBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly List<DataPoint> _points = new(16);
    private readonly List<MqttApplicationMessage> _replies = [];
    private ReadOnlySequence<byte> _json;
    private ReadOnlySequence<byte>[] _ddata = [];
    private JsonPayloadMapper _jsonMapper = null!;
    private SparkplugNodeMapper _sparkplugMapper = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var metrics = new MqttMetrics(new NoMeters());
        var problems = new PayloadProblems("dev", metrics, NullLogger.Instance);
        _json = new(Encoding.UTF8.GetBytes("""{"ts":1795515330250,"device":"press-7","values":{"temp":71.25,"pressure":4.5,"count":123456,"running":true,"mode":"auto"}}"""));
        _jsonMapper = new JsonPayloadMapper(
            new MqttJsonSubscriptionConfig("plant/+/data", 1, new MqttJsonTimestampConfig("/ts", MqttTimestampFormat.EpochMilliseconds),
            [
                new("temp", "/values/temp", MqttValueKind.Number), new("pressure", "/values/pressure", MqttValueKind.Number),
                new("count", "/values/count", MqttValueKind.Integer), new("running", "/values/running", MqttValueKind.Bool),
                new("mode", "/values/mode", MqttValueKind.Text),
            ], "$"),
            problems);

        var tags = Enumerable.Range(0, 10).Select(i => new MqttSparkplugTagConfig($"m{i}", $"Metric/{i}", "D1")).ToList();
        _sparkplugMapper = new SparkplugNodeMapper(new MqttSparkplugSubscriptionConfig("G", "N", 1, tags, "$"), problems, metrics, TimeProvider.System, NullLogger.Instance);
        Map(_sparkplugMapper, "spBv1.0/G/NBIRTH/N", Payload(0, birth: false, names: true));
        Map(_sparkplugMapper, "spBv1.0/G/DBIRTH/N/D1", Payload(1, birth: true, names: true));

        // One DDATA per sequence number, so the mapper sees an unbroken sequence however long the run.
        _ddata = [.. Enumerable.Range(0, 256).Select(i => new ReadOnlySequence<byte>(Payload((ulong)((i + 2) % 256), birth: true, names: false)))];
    }

    [Benchmark(Baseline = true, Description = "JSON: raw System.Text.Json parse, same 5 values")]
    public double JsonRaw()
    {
        using var document = JsonDocument.Parse(_json);
        var values = document.RootElement.GetProperty("values");
        return document.RootElement.GetProperty("ts").GetDouble() + values.GetProperty("temp").GetDouble() + values.GetProperty("pressure").GetDouble()
            + values.GetProperty("count").GetInt64() + (values.GetProperty("running").GetBoolean() ? 1 : 0) + values.GetProperty("mode").GetString()!.Length;
    }

    [Benchmark(Description = "JSON: JsonPayloadMapper.Map (5 tags + timestamp)")]
    public int JsonMapper()
    {
        _points.Clear();
        _jsonMapper.Map("plant/press7/data", _json, Now, _points, _replies);
        return _points.Count;
    }

    [Benchmark(Description = "Sparkplug: raw protobuf parse of the DDATA")]
    public int SparkplugRaw() => EdgeCloud.Edge.Mqtt.Sparkplug.Protos.Payload.Parser.ParseFrom(_ddata[_next++ & 255]).Metrics.Count;

    [Benchmark(Description = "Sparkplug: SparkplugNodeMapper.Map (10 metrics by alias)")]
    public int SparkplugMapper()
    {
        _points.Clear();
        _sparkplugMapper.Map("spBv1.0/G/DDATA/N/D1", _ddata[_next++ & 255], Now, _points, _replies);
        return _points.Count;
    }

    private void Map(SparkplugNodeMapper mapper, string topic, byte[] payload) =>
        mapper.Map(topic, new ReadOnlySequence<byte>(payload), Now, _points, _replies);

    private static byte[] Payload(ulong seq, bool birth, bool names)
    {
        var payload = new Payload { Timestamp = 1795515330250, Seq = seq };
        for (var i = 0; birth && i < 10; i++)
        {
            var metric = new Payload.Types.Metric { Alias = (ulong)i + 10, DoubleValue = i * 1.5 };
            if (names)
            {
                metric.Name = $"Metric/{i}";
                metric.Datatype = 10;
            }

            payload.Metrics.Add(metric);
        }

        return payload.ToByteArray();
    }

    private sealed class NoMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
