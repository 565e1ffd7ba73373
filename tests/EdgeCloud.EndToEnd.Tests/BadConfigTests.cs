using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>A bad config file: the agent process refuses to start, names the field, and leaves nothing behind.</summary>
public sealed class BadConfigTests
{
    private const string GoodDevice = """
        { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 502,
          "tags": [ { "name": "t", "address": 0, "type": "float32" } ] }
        """;

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "not json", "{ \"agentId\": \"gw\", ", "not valid JSON" },
        { "unknown data type", Agent(GoodDevice.Replace("float32", "float", StringComparison.Ordinal)), "$.devices[0].tags[0].type: unknown value 'float'" },
        { "port out of range", Agent(GoodDevice.Replace("502", "65536", StringComparison.Ordinal)), "$.devices[0].port: 65536 is out of range (1-65535)" },
        { "no device", Agent(""), "$.devices: no device is configured" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Run_BadConfig_ExitsWithConfigErrorNamingTheFieldAndStartsNothing(string why, string text, string message)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "agent.json");
        await File.WriteAllTextAsync(path, text.Replace("DATA", folder.Sub("data").Replace("\\", "/", StringComparison.Ordinal), StringComparison.Ordinal));

        await using var agent = AgentProcess.Start("run", "--config", path);
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 78, $"{why}: expected exit 78 (EX_CONFIG), got {exit}: {agent.Output}");
        Assert.Contains(message, agent.Output, StringComparison.Ordinal);
        Assert.Contains(path, agent.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Sub("data")), $"{why}: the data folder must not be created by a refused config");
    }

    [Fact]
    public async Task Validate_GoodConfig_SaysOkAndExitsZero()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "agent.json");
        await File.WriteAllTextAsync(path, Agent(GoodDevice).Replace("DATA", folder.Sub("data"), StringComparison.Ordinal));

        await using var agent = AgentProcess.Start("validate", "--config", path);

        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("OK (agent gw, 1 devices, 1 tags", agent.Output, StringComparison.Ordinal);
    }

    private static string Agent(string devices) => $$"""
        { "agentId": "gw", "dataDirectory": "DATA", "hub": { "url": "http://127.0.0.1:1" }, "devices": [ {{devices}} ] }
        """;
}
