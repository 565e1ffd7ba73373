using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// An operator at the gateway: a real edge-agent process raises an alarm from pymodbus data, and
/// <c>edge-agent alarms list|ack|shelve</c>, run as processes, act on it through the agent's local
/// status endpoint; the acknowledge and the shelve reach the hub as alarm events.
/// </summary>
public sealed partial class AlarmCommandsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AlarmsCli_ListAckShelve_AgentActsAndHubRecordsTheEvents()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var statusPort = FreePort.Next();
        var url = $"http://127.0.0.1:{statusPort}";
        // plc/temperature is 21.5 from the start: the rule is active at once.
        const string rules = """{ "definitions": [ { "name": "warm", "type": "threshold", "tag": "plc/temperature", "above": 20, "severity": 300 } ] }""";
        var config = AgentConfigFile.WithStatus(
            AgentConfigFile.WriteWithRules(folder.Path, "e2e-alarm-cli", hub.SyncUrl, 5, "gzip", "\"maxBatchPoints\": 50, \"maxBatchDelayMs\": 200", rules,
                AgentConfigFile.PlcDevice(plc.Port, pollMs: 100)),
            $"127.0.0.1:{statusPort}");
        await using var agent = AgentProcess.Start("run", "--config", config);

        var found = await Eventually.ReturnsAsync<(int, string)?>(
            async () => await RunAsync("alarms", "list", "--url", url),
            r => r is { Item1: 0 } && r.Value.Item2.Contains(" on plc/temperature", StringComparison.Ordinal),
            Patience,
            "the warm alarm in 'edge-agent alarms list'");
        var (listed, listing) = found!.Value;
        var line = AlarmLine().Match(listing);
        Assert.True(line.Success, listing);
        var id = line.Groups["id"].Value;
        Assert.Equal(("active", "300"), (line.Groups["state"].Value, line.Groups["severity"].Value));

        var ack = await RunAsync("alarms", "ack", id, "--url", url, "--user", "olga", "--comment", "checked the cooler");
        var again = await RunAsync("alarms", "ack", id, "--url", url, "--user", "olga");
        var shelve = await RunAsync("alarms", "shelve", id, "--url", url, "--user", "olga", "--for", "30m");
        var unknown = await RunAsync("alarms", "ack", "no-such-alarm", "--url", url, "--user", "olga");
        var badExpiry = await RunAsync("alarms", "shelve", id, "--url", url, "--user", "olga", "--for", "soon");
        var (_, after) = await RunAsync("alarms", "list", "--url", url);

        Assert.Equal(0, listed);
        Assert.True(ack.Code == 0, ack.Output);
        Assert.Contains("acknowledged by olga", ack.Output, StringComparison.Ordinal);
        Assert.Equal(1, again.Code);
        Assert.Contains("acknowledged already", again.Output, StringComparison.Ordinal);
        Assert.True(shelve.Code == 0, shelve.Output);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no open alarm 'no-such-alarm'", unknown.Output, StringComparison.Ordinal);
        Assert.Equal(1, badExpiry.Code);
        Assert.Contains("argument 'expiry'", badExpiry.Output, StringComparison.Ordinal);
        Assert.Contains($"{id}  acknowledged", after, StringComparison.Ordinal);
        Assert.Contains("shelved: warm on plc/temperature until", after, StringComparison.Ordinal);

        // The hub gets raise, acknowledge and shelve as alarm events, with who and why.
        var events = (await Eventually.ReturnsAsync<List<JsonElement>?>(
            async () => await AlarmEventsAsync(hub),
            e => e is { Count: >= 3 },
            Patience,
            "three alarm events at the hub"))!;
        await agent.KillAsync();
        Assert.Equal(["raised", "acknowledged", "shelved"], events.Select(e => e.GetProperty("kind").GetString()));
        var acknowledged = events[1];
        Assert.Equal(("acknowledged", id), (acknowledged.GetProperty("state").GetString(), acknowledged.GetProperty("alarmId").GetString()));
        Assert.Equal("acknowledged by olga: checked the cooler", acknowledged.GetProperty("message").GetString());
        Assert.StartsWith("shelved by olga until ", events[2].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        await using var command = AgentProcess.Start(arguments);
        var code = await command.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, command.Output);
    }

    private static async Task<List<JsonElement>> AlarmEventsAsync(HubServer hub)
    {
        using var response = await hub.Http.GetAsync(new Uri("/api/v1/agents/e2e-alarm-cli/alarm-events", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone()).OrderBy(e => e.GetProperty("sequence").GetUInt64())];
    }

    [GeneratedRegex(@"(?<id>[0-9a-f]{32})  (?<state>\w+)\s+(?<severity>\d+)  warm on plc/temperature")]
    private static partial Regex AlarmLine();
}
