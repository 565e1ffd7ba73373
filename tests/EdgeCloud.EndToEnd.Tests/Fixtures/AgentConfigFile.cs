namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>Writes an agent.json (inline devices) into a test folder.</summary>
internal static class AgentConfigFile
{
    /// <summary>Tags of Peers/plc.py, each in the data type and byte order it was written with.</summary>
    public static string PlcDevice(int port, string name = "plc", int pollMs = 200) => $$"""
        {
          "name": "{{name}}", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{port}}, "unitId": 1,
          "pollIntervalMs": {{pollMs}}, "timeoutMs": 500,
          "tags": [
            { "name": "temperature", "area": "holding", "address": 0, "type": "float32", "byteOrder": "ABCD" },
            { "name": "pressure", "area": "holding", "address": 2, "type": "float32", "byteOrder": "CDAB" },
            { "name": "torque", "area": "holding", "address": 4, "type": "int32", "byteOrder": "BADC" },
            { "name": "energy", "area": "holding", "address": 6, "type": "uint32", "byteOrder": "DCBA" },
            { "name": "offset", "area": "holding", "address": 8, "type": "int16" },
            { "name": "speed", "area": "holding", "address": 9, "type": "uint16" },
            { "name": "level", "area": "holding", "address": 10, "type": "int16", "byteOrder": "BADC", "scale": 0.1 },
            { "name": "counter", "area": "holding", "address": 20, "type": "uint16" },
            { "name": "ambient", "area": "input", "address": 0, "type": "float32", "byteOrder": "ABCD" }
          ]
        }
        """;

    public static string DeadDevice(int port, string name = "dead") => $$"""
        {
          "name": "{{name}}", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{port}}, "unitId": 1,
          "pollIntervalMs": 300, "timeoutMs": 300,
          "tags": [ { "name": "value", "area": "holding", "address": 0, "type": "uint16" } ]
        }
        """;

    public static string Write(string directory, string agentId, string hubUrl, params string[] devices) =>
        Write(directory, agentId, hubUrl, keepAliveSeconds: 5, devices);

    public static string Write(string directory, string agentId, string hubUrl, int keepAliveSeconds, params string[] devices) =>
        WriteWithCompression(directory, agentId, hubUrl, keepAliveSeconds, "gzip", devices);

    public static string WriteWithCompression(string directory, string agentId, string hubUrl, int keepAliveSeconds, string compression, params string[] devices) =>
        WriteFull(directory, agentId, hubUrl, keepAliveSeconds, compression, "\"maxBatchPoints\": 50, \"maxBatchDelayMs\": 300", devices);

    /// <summary>A device of <paramref name="count"/> uint16 tags on consecutive holding registers from <paramref name="first"/>: many points per poll.</summary>
    public static string BulkDevice(int port, int first, int count, int pollMs, string name = "bulk") => $$"""
        {
          "name": "{{name}}", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{port}}, "unitId": 1,
          "pollIntervalMs": {{pollMs}}, "timeoutMs": 500,
          "tags": [ {{string.Join(",", Enumerable.Range(first, count).Select(a => $"{{ \"name\": \"r{a}\", \"area\": \"holding\", \"address\": {a}, \"type\": \"uint16\" }}"))}} ]
        }
        """;

    /// <summary>An agent.json with the given outbox section body (JSON members without braces).</summary>
    public static string WriteFull(string directory, string agentId, string hubUrl, int keepAliveSeconds, string compression, string outbox, params string[] devices) =>
        WriteWithRules(directory, agentId, hubUrl, keepAliveSeconds, compression, outbox, rules: null, devices);

    /// <summary>An agent.json with a <c>rules</c> section (its JSON object) beside the devices.</summary>
    public static string WriteWithRules(string directory, string agentId, string hubUrl, int keepAliveSeconds, string compression, string outbox, string? rules, params string[] devices)
    {
        var path = Path.Combine(directory, "agent.json");
        File.WriteAllText(path, $$"""
            {
              "agentId": "{{agentId}}",
              "dataDirectory": "{{Path.Combine(directory, "data")}}",
              "hub": { "url": "{{hubUrl}}", "maxBackoffSeconds": 2, "keepAliveSeconds": {{keepAliveSeconds}}, "compression": "{{compression}}" },
              "outbox": { {{outbox}} },
              {{(rules is null ? "" : $"\"rules\": {rules},")}}
              "devices": [ {{string.Join(",", devices)}} ]
            }
            """);
        return path;
    }

    /// <summary>Adds a status endpoint on <paramref name="listen"/> to an agent.json written here (which has none); returns the path.</summary>
    public static string WithStatus(string configPath, string listen)
    {
        var text = File.ReadAllText(configPath);
        File.WriteAllText(configPath, text.Replace("\"outbox\":", $"\"status\": {{ \"listen\": \"{listen}\" }},\n  \"outbox\":", StringComparison.Ordinal));
        return configPath;
    }
}
