using System.Text.Json;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>Rules on the agent raise alarms; their events reach the hub through the outbox, exactly once, across a hub outage.</summary>
public sealed class AlarmSyncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agent_RuleRaisesAlarmsWhileHubIsAway_HubListsEachEventOnce()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        // plc/temperature is 21.5 from the start; plc/counter climbs by one every 50 ms.
        const string rules = """
            { "definitions": [
                { "name": "warm", "type": "threshold", "tag": "plc/temperature", "above": 20, "severity": 300 },
                { "name": "count-high", "type": "threshold", "tag": "plc/counter", "above": 30, "severity": 800 }
            ] }
            """;
        var config = AgentConfigFile.WriteWithRules(
            folder.Path, "e2e-alarms", hub.SyncUrl, 5, "gzip", "\"maxBatchPoints\": 50, \"maxBatchDelayMs\": 200", rules,
            AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));
        await using var agent = AgentProcess.Start("run", "--config", config);

        // Both alarms are raised while the hub is unreachable (the counter passes 30 after ~1.5 s).
        await Task.Delay(TimeSpan.FromSeconds(4));
        await hub.StartAsync();

        var found = await Eventually.ReturnsAsync<List<JsonElement>?>(
            async () => await AlarmEventsAsync(hub),
            e => e is { Count: >= 2 },
            Patience,
            "both alarm events at the hub");
        await agent.KillAsync();
        var events = found!;

        Assert.Equal(["count-high", "warm"], events.Select(e => e.GetProperty("rule").GetString()).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(("raised", "active"), (e.GetProperty("kind").GetString(), e.GetProperty("state").GetString())));
        Assert.Equal(800u, events.Single(e => e.GetProperty("rule").GetString() == "count-high").GetProperty("severity").GetUInt32());
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("sequence").GetUInt64()).Distinct().Count());
        var agentView = (await hub.GetAgentAsync("e2e-alarms"))!.Value;
        Assert.Equal(0, agentView.GetProperty("gaps").GetInt32());
    }

    private static async Task<List<JsonElement>> AlarmEventsAsync(HubServer hub)
    {
        using var response = await hub.Http.GetAsync(new Uri("/api/v1/agents/e2e-alarms/alarm-events", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
