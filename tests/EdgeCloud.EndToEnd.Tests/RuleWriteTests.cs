using System.Text.Json;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>A rule's write action changes a register on a real pymodbus PLC, through the device's own master.</summary>
public sealed class RuleWriteTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agent_RuleFires_WritesTheRegisterOnThePlcAndPollsTheNewValueBack()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        // plc/counter climbs by one every 50 ms; above 30 the rule writes 1234 into holding 50.
        var device = $$"""
            {
              "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{plc.Port}}, "unitId": 1,
              "pollIntervalMs": 100, "timeoutMs": 500,
              "tags": [
                { "name": "counter", "area": "holding", "address": 20, "type": "uint16" },
                { "name": "setpoint", "area": "holding", "address": 50, "type": "uint16", "writable": true }
              ]
            }
            """;
        const string rules = """
            { "definitions": [
                { "name": "count-high", "type": "threshold", "tag": "plc/counter", "above": 30,
                  "actions": [ { "type": "write", "tag": "plc/setpoint", "value": 1234 } ] }
            ] }
            """;
        var config = AgentConfigFile.WriteWithRules(
            folder.Path, "e2e-write", hub.SyncUrl, 5, "gzip", "\"maxBatchPoints\": 20, \"maxBatchDelayMs\": 200", rules, device);
        await using var agent = AgentProcess.Start("run", "--config", config);

        // The register starts at 0 in the PLC; the poll of holding 50 shows the write landed.
        var written = await Eventually.ReturnsAsync<double?>(
            async () => await NewestAsync(hub, "plc/setpoint"),
            v => v == 1234,
            Patience,
            "plc/setpoint to read 1234 back from the PLC");
        await agent.KillAsync();

        Assert.Equal(1234, written);
        Assert.Contains(agent.Lines, l => l.Contains("count-high", StringComparison.Ordinal));
    }

    private static async Task<double?> NewestAsync(HubServer hub, string tag)
    {
        using var response = await hub.Http.GetAsync(new Uri("/api/v1/agents/e2e-write/latest", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var value in document.RootElement.EnumerateArray())
        {
            if (value.GetProperty("tag").GetString() == tag && value.GetProperty("value").ValueKind == JsonValueKind.Number)
            {
                return value.GetProperty("value").GetDouble();
            }
        }

        return null;
    }
}
