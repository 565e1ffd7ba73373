using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Tests.Configuration;

public class ConfigLoaderRulesTests
{
    [Fact]
    public void TryParseSite_EveryRuleKind_Parsed()
    {
        var rules = TestSite.Parse("""
            { "name": "hot", "type": "threshold", "tag": "plc/temperature", "above": 23.5, "deadband": 0.5, "forSeconds": 5, "severity": 800,
              "actions": [ { "type": "alarm" }, { "type": "write", "tag": "plc/setpoint", "value": 20.5, "clearValue": 21.5 } ],
              "rateLimit": { "burst": 2, "perMinute": 1 } },
            { "name": "level", "type": "range", "tags": ["plc/level", "plc/temperature"], "low": 42, "high": 58, "deadband": 1 },
            { "name": "jump", "type": "rateOfChange", "tag": "plc/level", "maxPerSecond": 0.5 },
            { "name": "silent", "type": "stale", "tag": "plc/flow", "seconds": 10 },
            { "name": "q", "type": "quality", "tag": "plc/flow", "when": "notGood" },
            { "name": "ratio", "type": "expression", "value": "plc/flow / plc/level", "output": "derived/ratio" },
            { "name": "ratio-high", "type": "expression", "condition": "derived/ratio > 0.3 and avg(plc/temperature, 60s) > 20" },
            { "name": "z", "type": "zscore", "tag": "plc/flow", "window": 50, "warmup": 20, "threshold": 4 },
            { "name": "i", "type": "iqr", "tag": "plc/flow", "k": 3,
              "actions": [ { "type": "setTag", "tag": "derived/flow-odd", "value": true, "clearValue": false } ] }
            """);

        Assert.Equal("derived", rules.DerivedDevice);
        Assert.Equal(9, rules.Rules.Count);
        var hot = rules.Rules[0];
        Assert.Equal((RuleKind.Threshold, 23.5, 0.5, TimeSpan.FromSeconds(5), 800), (hot.Kind, hot.Above!.Value, hot.Deadband, hot.For, hot.Severity));
        Assert.Equal(new RuleRateLimit(2, 1), hot.RateLimit);
        Assert.Equal(RuleActionKind.Write, hot.Actions[1].Kind);
        Assert.Equal(TagValue.FromNumber(20.5), hot.Actions[1].Value);
        Assert.Equal(["plc/level", "plc/temperature"], rules.Rules[1].Tags);
        Assert.Equal(TimeSpan.FromSeconds(10), rules.Rules[3].StaleAfter);
        Assert.Equal(QualityCondition.NotGood, rules.Rules[4].QualityWhen);
        Assert.Equal("derived/ratio", rules.Rules[5].Output);
        Assert.NotNull(rules.Rules[6].Condition);
        Assert.Equal((50, 20, 4.0), (rules.Rules[7].Window, rules.Rules[7].Warmup, rules.Rules[7].ZLimit));
        Assert.Equal((100, 50, 3.0), (rules.Rules[8].Window, rules.Rules[8].Warmup, rules.Rules[8].IqrFactor));
        Assert.Single(rules.Rules[2].Actions, a => a.Kind == RuleActionKind.Alarm);
    }

    [Fact]
    public void TryParseSite_UnknownTag_ErrorNamesFileAndPath()
    {
        var errors = TestSite.Errors("""{ "name": "hot", "type": "threshold", "tag": "plc/temprature", "above": 1 }""");

        var error = Assert.Single(errors);
        Assert.Equal("site.json", error.File);
        Assert.Equal("$.rules.definitions[0].tag", error.Path);
        Assert.Contains("unknown tag 'plc/temprature'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_ExpressionThatDoesNotParse_ErrorNamesPosition()
    {
        var errors = TestSite.Errors("""{ "name": "e", "type": "expression", "condition": "plc/temperature > (1 + " }""");

        var error = Assert.Single(errors);
        Assert.Equal("$.rules.definitions[0].condition", error.Path);
        Assert.Contains("does not parse at character 24: expected a number, a tag, a function call or '('", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_ExpressionWithUnknownTag_ErrorNamesTagAndPosition()
    {
        var errors = TestSite.Errors("""{ "name": "e", "type": "expression", "condition": "plc/temperature > 1 and derived/nothing > 2" }""");

        var error = Assert.Single(errors);
        Assert.Equal("$.rules.definitions[0].condition", error.Path);
        Assert.Contains("at character 25: unknown tag 'derived/nothing': no rule derives it and it is not in rules.externalTags", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSite_ExternalTag_MayBeRead()
    {
        var rules = TestSite.Parse(
            """{ "name": "anomaly", "type": "threshold", "tag": "derived/anomaly_score", "above": 0.8 }""",
            """ "externalTags": ["derived/anomaly_score"], """);

        Assert.Equal(["derived/anomaly_score"], rules.ExternalTags);
    }

    [Theory]
    [InlineData("""{ "name": "m", "type": "threshold", "tag": "plc/temperature", "above": 1, "actions": [ { "type": "mqtt", "topic": "a/{rule}" } ] }""", "$.rules.definitions[0].actions[0].type", "mqtt.publish section, which is missing")]
    [InlineData("""{ "name": "w", "type": "threshold", "tag": "plc/temperature", "above": 1, "actions": [ { "type": "write", "tag": "plc/flow", "value": 1 } ] }""", "$.rules.definitions[0].actions[0].tag", "input register")]
    [InlineData("""{ "name": "s", "type": "threshold", "tag": "plc/temperature", "above": 1, "actions": [ { "type": "setTag", "tag": "plc/level", "value": 1 } ] }""", "$.rules.definitions[0].actions[0].tag", "must be on device 'derived'")]
    [InlineData("""{ "name": "t", "type": "threshold", "tag": "plc/temperature" }""", "$.rules.definitions[0].above", "exactly one of 'above' and 'below'")]
    [InlineData("""{ "name": "r", "type": "range", "tag": "plc/level", "low": 40, "high": 60, "deadband": 10 }""", "$.rules.definitions[0].deadband", "could never clear")]
    [InlineData("""{ "name": "x", "type": "sometimes", "tag": "plc/level" }""", "$.rules.definitions[0].type", "unknown value 'sometimes'")]
    [InlineData("""{ "name": "z", "type": "zscore", "tag": "plc/level", "window": 10, "warmup": 20 }""", "$.rules.definitions[0].warmup", "must not exceed window")]
    [InlineData("""{ "name": "v", "type": "expression", "value": "1 / plc/level" }""", "$.rules.definitions[0].output", "'value' and 'output' go together")]
    [InlineData("""{ "name": "h", "type": "threshold", "tag": "plc/level", "above": 1, "hysteresis": 2 }""", "$.rules.definitions[0].hysteresis", "unknown property")]
    public void TryParseSite_BadRule_ErrorAtPath(string definition, string path, string message)
    {
        var errors = TestSite.Errors(definition);

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParseSite_DuplicateNameAndDerivedDeviceClash_BothReported()
    {
        var errors = TestSite.Errors(
            """
            { "name": "a", "type": "quality", "tag": "plc/level" },
            { "name": "a", "type": "quality", "tag": "plc/flow" }
            """,
            """ "derivedDevice": "plc", """);

        Assert.Contains(errors, e => e.Path == "$.rules.definitions[1].name" && e.Message.Contains("used twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.rules.derivedDevice" && e.Message.Contains("is a configured device", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParseSite_MqttActionWithPublishSection_ReadsTopicQosRetainAndOnClear()
    {
        var errors = new List<ConfigError>();
        var json = TestSite.Json("""
            { "name": "m", "type": "threshold", "tag": "plc/temperature", "above": 1,
              "actions": [ { "type": "mqtt", "topic": "site/{agent}/{rule}/{device}/{tag}", "qos": 1, "retain": true, "onClear": false } ] }
            """).TrimEnd().TrimEnd('}') + """, "mqtt": { "publish": { "host": "127.0.0.1", "routes": [ { "tags": "*/*", "topic": "t/{tag}" } ] } } }""";

        var site = ConfigLoader.TryParseSite("site.json", json, errors);

        Assert.Empty(errors);
        var action = Assert.Single(site!.Rules!.Rules[0].Actions);
        Assert.Equal((RuleActionKind.Mqtt, new RuleMqttPublish("site/{agent}/{rule}/{device}/{tag}", 1, true, false)), (action.Kind, action.Mqtt));
    }

    [Fact]
    public void TryParseSite_MqttActionTopicWithUnknownField_ErrorAtTopic()
    {
        var errors = new List<ConfigError>();
        var json = TestSite.Json("""
            { "name": "m", "type": "threshold", "tag": "plc/temperature", "above": 1, "actions": [ { "type": "mqtt", "topic": "a/{value}" } ] }
            """).TrimEnd().TrimEnd('}') + """, "mqtt": { "publish": { "host": "127.0.0.1", "routes": [ { "tags": "*/*", "topic": "t/{tag}" } ] } } }""";

        Assert.Null(ConfigLoader.TryParseSite("site.json", json, errors));
        var error = Assert.Single(errors);
        Assert.Equal("$.rules.definitions[0].actions[0].topic", error.Path);
        Assert.Contains("unknown field '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_AgentFileWithBadRule_RefusedWithTheRuleError()
    {
        var folder = Directory.CreateTempSubdirectory("rules-config-");
        try
        {
            var site = Path.Combine(folder.FullName, "site.json");
            File.WriteAllText(site, TestSite.Json("""{ "name": "e", "type": "expression", "condition": "plc/level / 0 >" }"""));
            var agent = Path.Combine(folder.FullName, "agent.json");
            File.WriteAllText(agent, """{ "agentId": "a", "dataDirectory": "data", "hub": { "url": "http://127.0.0.1:1" }, "siteConfig": "site.json" }""");
            var errors = new List<ConfigError>();

            Assert.Null(ConfigLoader.TryLoad(agent, errors));

            var error = Assert.Single(errors);
            Assert.Equal(site, error.File);
            Assert.Equal("$.rules.definitions[0].condition", error.Path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
