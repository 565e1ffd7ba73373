using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Actions;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Rules.Tests;

/// <summary>The real engine, action runner and alarm manager on a fake clock, fed points by hand.</summary>
internal sealed class EngineHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public EngineHarness(string definitions, string extra = "", AlarmJournalState? restored = null)
    {
        Config = TestSite.Parse(definitions, extra);
        var meters = _services.GetRequiredService<IMeterFactory>();
        Alarms = new AlarmManager(restored ?? AlarmJournalState.Empty, Time, meters, NullLogger<AlarmManager>.Instance);
        Writes = new TagWriteQueue(meters);
        Actions = new RuleActionRunner(Config, Alarms, Writes, Time, meters, NullLogger<RuleActionRunner>.Instance);
        Engine = new RuleEngine(Config, Time, Actions, meters, NullLogger<RuleEngine>.Instance);
        Engine.RestoreActive(Alarms.IsConditionActive);
        ModelRules = new ModelRuleSets(Config, Alarms, Actions, Time, meters, NullLogger<RuleEngine>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(T0);

    public RulesConfig Config { get; }

    public AlarmManager Alarms { get; }

    public TagWriteQueue Writes { get; }

    public RuleActionRunner Actions { get; }

    public RuleEngine Engine { get; }

    /// <summary>The rules models install (empty until a test installs some).</summary>
    public ModelRuleSets ModelRules { get; }

    /// <summary>Feeds plc/<paramref name="tag"/> = <paramref name="value"/> at T0 + <paramref name="seconds"/>; returns what was derived.</summary>
    public List<DataPoint> Push(string tag, double value, double seconds, PointQuality quality = PointQuality.Good)
    {
        var derived = new List<DataPoint>();
        var point = new DataPoint("plc", tag, T0.AddSeconds(seconds), quality.IsBad() ? TagValue.None : TagValue.FromNumber(value), quality);
        Engine.Process(point, derived);
        return derived;
    }

    public Alarm? AlarmOf(string rule, string tag = "plc/temperature") =>
        Alarms.GetAlarms().SingleOrDefault(a => a.Rule == rule && a.Tag == tag);

    public void Dispose() => _services.Dispose();
}
