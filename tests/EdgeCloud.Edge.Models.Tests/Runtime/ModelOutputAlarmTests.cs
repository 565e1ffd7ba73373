using System.Text.Json.Nodes;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Models.Tests.Support;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Models.Tests.Runtime;

/// <summary>
/// An alarm on a model output, end to end: the anomaly model made by train.py runs in ONNX Runtime
/// inside the agent's real pipeline, outbox and rules; a spike in its input raises the alarm once
/// the score has stayed above the limit for the manifest's duration, and normal data clears it.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ModelOutputAlarmTests(TrainedModels trained) : IDisposable
{
    private const string Rule = "model.anomaly.anomaly_score";
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgecloud-model-alarm-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task AnomalyScoreAboveLimitForDuration_RaisesAlarmThroughRuleEngine_ClearsWhenNormal()
    {
        var models = Directory.CreateDirectory(Path.Combine(_data.FullName, "models")).FullName;
        File.Copy(Path.Combine(trained.SamplesFolder, "anomaly.onnx"), Path.Combine(models, "anomaly.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(trained.SamplesFolder, "anomaly.model.json")))!;
        manifest["runIntervalMs"] = 100;
        manifest["outputs"]![0]!["alarm"] = JsonNode.Parse("""{ "above": 0.05, "deadband": 0.01, "forSeconds": 0.5, "severity": 850, "message": "anomaly score high" }""");
        File.WriteAllText(Path.Combine(models, "anomaly.model.json"), manifest.ToJsonString());

        using var host = Build();
        await host.StartAsync();
        var sink = host.Services.GetRequiredService<IPointSink>();
        var alarms = host.Services.GetRequiredService<IAlarmService>();
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<ModelRegistry>().Find("anomaly") is not null, "the anomaly model loaded");

        for (var t = 0; t < 8; t++)
        {
            await FeedAsync(sink, 21.5, 12.5);
        }

        await Eventually.TrueAsync(() => Scores(host).Count >= 3, "scores of normal data");
        Assert.All(Scores(host), s => Assert.InRange(s, 0, 1e-3));
        Assert.Empty(alarms.GetAlarms());

        await FeedAsync(sink, 21.5 + 3, 12.5); // one spike: about 0.15 while it is in the 8-poll window
        await Eventually.TrueAsync(() => alarms.GetAlarms().Any(a => a.Rule == Rule), "the model's alarm");
        var alarm = alarms.GetAlarms().Single(a => a.Rule == Rule);
        Assert.Equal(("model/anomaly_score", AlarmState.Active, 850, "anomaly score high"), (alarm.Tag, alarm.State, alarm.Severity, alarm.Message));
        Assert.InRange(alarm.Value, 0.05, 1);

        for (var t = 0; t < 8; t++)
        {
            await FeedAsync(sink, 21.5, 12.5);
        }

        await Eventually.TrueAsync(() => alarms.GetAlarms().Single(a => a.Rule == Rule).State == AlarmState.ClearedUnacknowledged, "the alarm cleared");
        var outbox = host.Services.GetRequiredService<IOutbox>();
        await Eventually.TrueAsync(() => EventKinds(outbox).SequenceEqual([AlarmEventKind.Raised, AlarmEventKind.Cleared]), "raise and clear in the outbox");
        await host.StopAsync();
    }

    private static List<AlarmEventKind> EventKinds(IOutbox outbox) =>
        [.. outbox.ReadAsync(0, 1000, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            .Where(b => b.Kind == OutboxBatchKind.Event).Select(b => AlarmEventCodec.FromBatch(b.Payload).Kind)];

    private static List<double> Scores(IHost host) =>
        [.. host.Services.GetRequiredService<IOutbox>().ReadAsync(0, 10_000, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            .Where(b => b.Kind == OutboxBatchKind.Telemetry)
            .SelectMany(b => EdgeCloud.Proto.Sync.V1.TelemetryBatch.Parser.ParseFrom(b.Payload).Points)
            .Where(p => p.Tag == "model/anomaly_score").Select(p => p.Number)];

    private static ValueTask FeedAsync(IPointSink sink, double temperature, double flow)
    {
        var now = DateTimeOffset.UtcNow;
        return sink.PublishAsync(
            [new DataPoint("simulator", "temperature", now, TagValue.FromNumber(temperature), PointQuality.Good),
             new DataPoint("simulator", "flow", now, TagValue.FromNumber(flow), PointQuality.Good)],
            CancellationToken.None);
    }

    private IHost Build()
    {
        var config = new AgentConfig(
            "test",
            _data.FullName,
            new HubLinkConfig(new Uri("http://127.0.0.1:1"), 1, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
            new OutboxConfig(100, TimeSpan.FromMilliseconds(20), 1L << 30),
            TestSite.Create(),
            "test.json");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Site);
        builder.AddOutbox();
        builder.AddModels();
        builder.AddRules();
        builder.Services.Configure<ModelsOptions>(o =>
        {
            o.SettleTime = TimeSpan.FromMilliseconds(100);
            o.RescanInterval = TimeSpan.FromSeconds(1);
        });
        return builder.Build();
    }
}
