using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// The rules of loaded models (alarms on model outputs), one <see cref="RuleEngine"/> per model so
/// a model swap replaces its rules without touching the site's. Install builds the new engine
/// aside and swaps an immutable map (one reference write), so the pipeline thread never waits
/// for it. A rule whose alarm is open when its engine is built starts active (it clears that alarm
/// rather than raising another); a rule that disappears clears its open alarm, saying why.
/// </summary>
internal sealed partial class ModelRuleSets(
    RulesConfig site, AlarmManager alarms, IRuleOutcomes outcomes, TimeProvider time, IMeterFactory meters, ILogger<RuleEngine> logger) : IModelRules
{
    private readonly Lock _install = new();
    private ImmutableDictionary<string, RuleEngine> _engines = ImmutableDictionary.Create<string, RuleEngine>(StringComparer.Ordinal);

    // The same engines as an array, for the per-point path: enumerating an ImmutableDictionary's
    // values allocates an enumerator per call, once per point even with no model installed.
    private RuleEngine[] _running = [];

    /// <summary>The models that have rules installed now.</summary>
    public IEnumerable<string> Models => Volatile.Read(ref _engines).Keys;

    public void Install(string model, IReadOnlyList<RuleConfig> rules)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rules);
        lock (_install)
        {
            var engines = Volatile.Read(ref _engines);
            engines.TryGetValue(model, out var old);
            RuleEngine? engine = null;
            if (rules.Count > 0)
            {
                engine = new RuleEngine(new RulesConfig(site.DerivedDevice, [], rules), time, outcomes, meters, logger, publishMetrics: false);
                engine.RestoreActive(alarms.IsConditionActive);
            }

            var next = engine is null ? engines.Remove(model) : engines.SetItem(model, engine);
            Volatile.Write(ref _engines, next);
            Volatile.Write(ref _running, [.. next.Values]);
            if (old is null)
            {
                return;
            }

            var kept = rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in old.Rules.Where(r => !kept.Contains(r.Config.Name)))
            {
                alarms.Clear(gone.Config.Name, gone.AlarmTag, $"model {model} no longer has rule {gone.Config.Name}", double.NaN, time.GetUtcNow());
            }
        }
    }

    /// <summary>Runs the point through every model's rules (on the batcher's thread).</summary>
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        foreach (var engine in Volatile.Read(ref _running))
        {
            engine.Process(point, derived);
        }
    }

    /// <summary>The timer's checks for every model's rules.</summary>
    public void CheckStale(DateTimeOffset now, List<DataPoint> derived)
    {
        foreach (var engine in Volatile.Read(ref _running))
        {
            engine.CheckStale(now, derived);
        }
    }
}
