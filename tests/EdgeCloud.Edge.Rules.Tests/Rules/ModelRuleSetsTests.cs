using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;

namespace EdgeCloud.Edge.Rules.Tests.Rules;

/// <summary>Alarm rules that models install on their outputs, run by the same engine and alarm manager as the site's rules.</summary>
public sealed class ModelRuleSetsTests
{
    private const string Rule = "model.anomaly.anomaly_score";
    private const string Tag = "model/anomaly_score";

    private static RuleConfig ScoreAbove(double limit, double forSeconds) => ManifestAlarm($$"""
        { "name": "score", "tag": "{{Tag}}", "alarm": { "above": {{limit}}, "forSeconds": {{forSeconds}}, "severity": 800 } }
        """);

    /// <summary>The rule as the manifest loader makes it from an output's <c>alarm</c>.</summary>
    private static RuleConfig ManifestAlarm(string output)
    {
        var errors = new List<ConfigError>();
        var manifest = ConfigLoader.TryParseModelManifest("anomaly.model.json", $$"""
            { "runIntervalMs": 1000, "inputs": [ { "name": "x", "features": [ { "tag": "plc/temperature" } ] } ], "outputs": [ {{output}} ] }
            """, errors);
        Assert.True(manifest is not null, string.Join("\n", errors));
        return manifest.Outputs[0].Alarm!;
    }

    private static void Push(EngineHarness h, double score, double seconds) =>
        h.ModelRules.Process(new DataPoint("model", "anomaly_score", EngineHarness.T0.AddSeconds(seconds), TagValue.FromNumber(score), PointQuality.Good), []);

    [Fact]
    public void Install_ScoreAboveLimitForTenSeconds_RaisesAlarmOnlyAfterTheDuration()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""");
        var rule = ScoreAbove(0.8, 10);
        h.ModelRules.Install("anomaly", [rule]);

        Push(h, 0.9, 0);
        Push(h, 0.95, 5);
        var early = h.AlarmOf(Rule, Tag);
        Push(h, 0.2, 6);
        Push(h, 0.9, 7);
        Push(h, 0.9, 17.5);

        Assert.Equal((Rule, 800), (rule.Name, rule.Severity));
        Assert.Null(early);
        var alarm = h.AlarmOf(Rule, Tag);
        Assert.NotNull(alarm);
        Assert.Equal((AlarmState.Active, 800), (alarm.State, alarm.Severity));
    }

    [Fact]
    public void Install_ModelUnloadedWithAlarmOpen_ClearsItSayingWhy()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""");
        h.ModelRules.Install("anomaly", [ScoreAbove(0.8, 0)]);
        Push(h, 0.9, 0);
        Assert.Equal(AlarmState.Active, h.AlarmOf(Rule, Tag)!.State);

        h.ModelRules.Install("anomaly", []);

        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf(Rule, Tag)!.State);
        Assert.Contains(h.Alarms.Snapshot().Pending, e => e.Kind == AlarmEventKind.Cleared && e.Message.Contains("no longer has rule", StringComparison.Ordinal));
        Assert.Empty(h.ModelRules.Models);
    }

    [Fact]
    public void Install_ReplacedWithAlarmOpen_NewRulesStartActiveAndClearInsteadOfRaisingAgain()
    {
        using var h = new EngineHarness("""{ "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 25 }""");
        h.ModelRules.Install("anomaly", [ScoreAbove(0.8, 0)]);
        Push(h, 0.9, 0);
        var before = h.Alarms.Snapshot().NextEventNumber;

        h.ModelRules.Install("anomaly", [ScoreAbove(0.5, 0)]);
        Push(h, 0.7, 1);
        var raisedAgain = h.Alarms.Snapshot().NextEventNumber != before;
        Push(h, 0.1, 2);

        Assert.False(raisedAgain);
        Assert.Equal(AlarmState.ClearedUnacknowledged, h.AlarmOf(Rule, Tag)!.State);
    }

    [Theory]
    [InlineData("""{ "name": "s", "tag": "model/s", "alarm": { "forSeconds": 3 } }""", "$.outputs[0].alarm", "exactly one of 'above' and 'below'")]
    [InlineData("""{ "name": "s", "tag": "model/s", "alarm": { "above": 1, "severity": 0 } }""", "$.outputs[0].alarm.severity", "out of range")]
    [InlineData("""{ "name": "s", "tag": "model/s", "alarm": { "above": 1, "for": 3 } }""", "$.outputs[0].alarm.for", "unknown property")]
    public void TryParseModelManifest_BadAlarm_ErrorNamesFileAndField(string output, string path, string message)
    {
        var errors = new List<ConfigError>();

        var manifest = ConfigLoader.TryParseModelManifest("anomaly.model.json", $$"""
            { "runIntervalMs": 1000, "inputs": [ { "name": "x", "features": [ { "tag": "plc/temperature" } ] } ], "outputs": [ {{output}} ] }
            """, errors);

        Assert.Null(manifest);
        var error = Assert.Single(errors);
        Assert.Equal(("anomaly.model.json", path), (error.File, error.Path));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_SiteRuleNamedLikeAModelRule_Refused()
    {
        var errors = TestSite.Errors("""{ "name": "model.x", "type": "threshold", "tag": "plc/temperature", "above": 1 }""");

        Assert.Contains(errors, e => e.Path == "$.rules.definitions[0].name" && e.Message.Contains("model outputs", StringComparison.Ordinal));
    }
}
