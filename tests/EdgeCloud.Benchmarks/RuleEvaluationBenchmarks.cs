using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Actions;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;
using EdgeCloud.Edge.Rules.Expressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// 10,000 rules (10 per tag over 1,000 tags) fed one second of a 100k points/s stream: each
/// operation is 100,000 points, so the time per operation is also the share of one core that
/// stream takes (50 ms = 5 %), and evaluations/s = 1,000,000 / time. Values stay inside the
/// limits (no transitions): this measures evaluation, not alarm handling. Baseline: the same
/// lookups and hysteresis comparisons written as a plain C# loop over arrays — the bound for this
/// work on this CPU. Runs in-process: the generated out-of-process project's build exceeded
/// BenchmarkDotNet's 2-minute build timeout on the shared 2-core machine, and this benchmark
/// needs no process isolation (no native state, no GC mode of its own).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class RuleEvaluationBenchmarks
{
    private const int Tags = 1_000;
    private const int RulesPerTag = 10;
    private const int PointsPerOp = 100_000;

    private readonly List<DataPoint> _derived = [];
    private DataPoint[] _points = [];
    private RuleEngine _thresholds = null!;
    private RuleEngine _expressions = null!;
    private Dictionary<(string, string), int> _index = [];
    private double[] _limits = [];
    private bool[] _active = [];
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _points = new DataPoint[PointsPerOp];
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < PointsPerOp; i++)
        {
            _points[i] = new DataPoint("plc", "t" + (i % Tags), at.AddTicks(i * 100), TagValue.FromNumber(random.NextDouble() * 100), PointQuality.Good);
        }

        // Strings shared with the index, as a source reuses its configured names.
        var names = Enumerable.Range(0, Tags).Select(i => "t" + i).ToArray();
        for (var i = 0; i < PointsPerOp; i++)
        {
            _points[i] = _points[i] with { Tag = names[i % Tags] };
        }

        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _thresholds = Engine(t => new RuleConfig
        {
            Name = "r" + t.Rule,
            Kind = RuleKind.Threshold,
            Source = "bench",
            Tags = ["plc/" + names[t.Tag]],
            Above = 100 + t.Rule,
            Deadband = 1,
        });
        _expressions = Engine(t =>
        {
            var text = $"plc/{names[t.Tag]} > {100 + t.Rule} and plc/{names[t.Tag]} >= 0";
            if (!ExpressionParser.TryParse(text, out var node, out var error))
            {
                throw new InvalidOperationException(error.ToString());
            }

            return new RuleConfig { Name = "r" + t.Rule, Kind = RuleKind.Expression, Source = "bench", Condition = node, ConditionText = text };
        });

        _index = Enumerable.Range(0, Tags).ToDictionary(i => ("plc", names[i]), i => i);
        _limits = [.. Enumerable.Range(0, Tags * RulesPerTag).Select(i => 100.0 + i)];
        _active = new bool[Tags * RulesPerTag];
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "plain C# loop: lookup + 10 hysteresis comparisons per point")]
    public int PlainLoop()
    {
        var raised = 0;
        foreach (var point in _points)
        {
            if (!_index.TryGetValue((point.Device, point.Tag), out var tag))
            {
                continue;
            }

            var value = point.Value.AsDouble();
            for (var r = tag * RulesPerTag; r < (tag + 1) * RulesPerTag; r++)
            {
                var abnormal = value > _limits[r] - (_active[r] ? 1 : 0);
                if (abnormal != _active[r])
                {
                    _active[r] = abnormal;
                    raised++;
                }
            }
        }

        return raised;
    }

    [Benchmark(Description = "RuleEngine: 10,000 threshold rules")]
    public long ThresholdRules() => Run(_thresholds);

    [Benchmark(Description = "RuleEngine: 10,000 expression rules (a > k and a >= 0)")]
    public long ExpressionRules() => Run(_expressions);

    private long Run(RuleEngine engine)
    {
        foreach (var point in _points)
        {
            _derived.Clear();
            engine.Process(point, _derived);
        }

        return engine.Evaluations;
    }

    private RuleEngine Engine(Func<(int Tag, int Rule), RuleConfig> rule)
    {
        var rules = new List<RuleConfig>();
        for (var t = 0; t < Tags; t++)
        {
            for (var r = 0; r < RulesPerTag; r++)
            {
                rules.Add(rule((t, (t * RulesPerTag) + r)));
            }
        }

        var config = new RulesConfig("derived", [], rules);
        var meters = _services.GetRequiredService<IMeterFactory>();
        var alarms = new AlarmManager(AlarmJournalState.Empty, TimeProvider.System, meters, NullLogger<AlarmManager>.Instance);
        var actions = new RuleActionRunner(config, alarms, new TagWriteQueue(meters), TimeProvider.System, meters, NullLogger<RuleActionRunner>.Instance);
        return new RuleEngine(config, TimeProvider.System, actions, meters, NullLogger<RuleEngine>.Instance);
    }

    /// <summary>One in-process job: 3 warm-up and 10 measured iterations.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
