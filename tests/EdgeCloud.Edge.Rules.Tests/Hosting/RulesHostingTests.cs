using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Evaluation;
using EdgeCloud.Edge.Rules.Hosting;
using EdgeCloud.Edge.Rules.Tests.Actions;
using EdgeCloud.Edge.Writes;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Rules.Tests.Hosting;

/// <summary>The rules as the agent hosts them: real pipeline, batcher and LiteDB outbox in a temp data folder.</summary>
public sealed class RulesHostingTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("rules-host-");

    [Fact]
    public async Task AddRules_PointsThroughThePipeline_AlarmEventInOutboxDerivedInTelemetryAndDeviceWritten()
    {
        var writer = new RecordingTagWriter("plc");
        using (var host = Build(writer))
        {
            await host.StartAsync();
            var sink = host.Services.GetRequiredService<IPointSink>();
            await sink.PublishAsync([Point("temperature", 30), Point("level", 4)], CancellationToken.None);

            var outbox = host.Services.GetRequiredService<IOutbox>();
            var events = await WaitForAsync(outbox, b => b.Kind == OutboxBatchKind.Event);
            var alarm = AlarmEventCodec.FromBatch(events.Payload);
            Assert.Equal(("hot", "plc/temperature", AlarmEventKind.Raised, AlarmState.Active), (alarm.Rule, alarm.Tag, alarm.Kind, alarm.State));

            var telemetry = await WaitForAsync(outbox, b => b.Kind == OutboxBatchKind.Telemetry);
            var points = TelemetryBatch.Parser.ParseFrom(telemetry.Payload).Points;
            Assert.Equal(["plc/temperature", "derived/cooling", "derived/ratio", "plc/level", "derived/ratio"], points.Select(p => p.Tag));

            // The ratio before plc/level had a value is bad and says why; then 30 / 4.
            Assert.Equal((Quality.Bad, (uint)ExpressionFault.MissingInput), (points[2].Quality, points[2].StatusDetail));
            Assert.Equal((Quality.Good, 7.5), (points[4].Quality, points[4].Number));

            await PollAsync(() => writer.Writes.Count == 1);
            Assert.Equal(("plc", "setpoint", TagValue.FromNumber(19.5)), writer.Writes.Single());
            await host.StopAsync();
        }

        // A restart keeps the alarm: it is still open and nothing new was raised for it.
        using var again = Build(writer);
        var alarms = again.Services.GetRequiredService<IAlarmService>();
        Assert.Equal(AlarmState.Active, Assert.Single(alarms.GetAlarms()).State);
        Assert.Empty(again.Services.GetRequiredService<AlarmManager>().Snapshot().Pending);
    }

    [Fact]
    public async Task AddRules_JournalWithEventsNotYetInTheOutbox_SendsThemAfterRestart()
    {
        // The state a crash leaves between writing the journal and appending to the outbox.
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var pending = new AlarmEventRecord(7, AlarmEventKind.Raised, "a7", "hot", "plc/temperature", AlarmState.Active, 900, at, "too hot", 30, null, null, "");
        var journal = new AlarmJournalFile(Path.Combine(_folder.FullName, "data", RulesHostingExtensions.DataFolder), Microsoft.Extensions.Logging.Abstractions.NullLogger<AlarmJournalFile>.Instance);
        journal.Save(new AlarmJournalState(AlarmJournalState.CurrentVersion, 8, [new Alarm("a7", "hot", "plc/temperature", AlarmState.Active, 900, "too hot", 30, at, null)], [], [pending]));

        using (var host = Build(new RecordingTagWriter("plc")))
        {
            await host.StartAsync();
            var sent = await WaitForAsync(host.Services.GetRequiredService<IOutbox>(), b => b.Kind == OutboxBatchKind.Event);
            Assert.Equal(pending, AlarmEventCodec.FromBatch(sent.Payload));
            await host.StopAsync();
        }

        var after = journal.Load();
        Assert.Empty(after.Pending);
        Assert.Equal((8UL, "a7"), (after.NextEventNumber, Assert.Single(after.Alarms).Id));
    }

    private IHost Build(ITagWriter writer)
    {
        var site = Path.Combine(_folder.FullName, "site.json");
        File.WriteAllText(site, TestSite.Json("""
            { "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25, "severity": 900,
              "actions": [ { "type": "alarm" }, { "type": "setTag", "tag": "derived/cooling", "value": 1, "clearValue": 0 },
                           { "type": "write", "tag": "plc/setpoint", "value": 19.5 } ] },
            { "name": "ratio", "type": "expression", "value": "plc/temperature / plc/level", "output": "derived/ratio" }
            """));
        var agent = Path.Combine(_folder.FullName, "agent.json");
        File.WriteAllText(agent, """
            { "agentId": "t", "dataDirectory": "data", "hub": { "url": "http://127.0.0.1:1" }, "siteConfig": "site.json",
              "outbox": { "maxBatchPoints": 100, "maxBatchDelayMs": 50 } }
            """);
        var config = ConfigLoader.Load(agent);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(writer);
        builder.AddOutbox();
        builder.AddRules();
        return builder.Build();
    }

    private static DataPoint Point(string tag, double value) =>
        new("plc", tag, DateTimeOffset.UnixEpoch.AddDays(20_000), TagValue.FromNumber(value), PointQuality.Good);

    private static async Task<StoredBatch> WaitForAsync(IOutbox outbox, Func<StoredBatch, bool> match)
    {
        StoredBatch? found = null;
        await PollAsync(async () => (found = (await outbox.ReadAsync(0, 100, CancellationToken.None)).FirstOrDefault(match)) is not null);
        return found!;
    }

    private static Task PollAsync(Func<bool> condition) => PollAsync(() => Task.FromResult(condition()));

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met within the deadline");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
