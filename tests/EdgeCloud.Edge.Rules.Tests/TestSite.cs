using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Rules.Tests;

/// <summary>A site config with one Modbus device "plc" (tags as the simulator names them) and the rules given.</summary>
internal static class TestSite
{
    public const string Devices = """
        "devices": [
          {
            "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020,
            "tags": [
              { "name": "temperature", "area": "holding", "address": 0, "type": "float32" },
              { "name": "level", "area": "holding", "address": 4, "type": "int16", "scale": 0.1 },
              { "name": "setpoint", "area": "holding", "address": 11, "type": "int16", "byteOrder": "BADC", "scale": 0.1 },
              { "name": "flow", "area": "input", "address": 1, "type": "float32", "byteOrder": "DCBA" }
            ]
          }
        ]
        """;

    public static string Json(string definitions, string extra = "") =>
        $$"""{ {{Devices}}, "rules": { {{extra}} "definitions": [ {{definitions}} ] } }""";

    public static RulesConfig Parse(string definitions, string extra = "")
    {
        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite("site.json", Json(definitions, extra), errors);
        Assert.True(site is not null, string.Join("\n", errors));
        return site.Rules!;
    }

    public static List<ConfigError> Errors(string definitions, string extra = "")
    {
        var errors = new List<ConfigError>();
        Assert.Null(ConfigLoader.TryParseSite("site.json", Json(definitions, extra), errors));
        return errors;
    }
}
