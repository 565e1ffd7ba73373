using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// After an outage, over a slow uplink: the hub shows the present (the live lane) long before the
/// backlog is stored, and the backlog still arrives whole and in order.
/// </summary>
public sealed partial class LiveLaneTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_ReconnectsWithBacklogOverSlowLink_HubShowsPresentValuesBeforeTheBacklogIsStored()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await using var relay = new TcpRelay(hub.SyncPort) { BytesPerSecondUp = 4_000 };
        var config = AgentConfigFile.WriteFull(
            folder.Path, "e2e-live", $"http://127.0.0.1:{relay.Port}", 5, "gzip",
            "\"maxBatchPoints\": 100, \"maxBatchDelayMs\": 200",
            AgentConfigFile.PlcDevice(plc.Port, pollMs: 50),
            AgentConfigFile.BulkDevice(plc.Port, first: 30, count: 40, pollMs: 50));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        // An outage long enough for a backlog of well over one send window.
        await agent.WaitForLineAsync(Durable(), Patience, m => Last(m) >= 150);
        await hub.StartAsync();
        var reconnectedAt = DateTimeOffset.UtcNow;
        var backlog = LastDurable(agent);

        // The counter register changes every poll: its newest value must show up while the
        // backlog is still far from stored.
        var latest = await Eventually.ReturnsAsync<JsonElement?>(
            async () => await LatestAsync(hub, "plc/counter"),
            v => v is { } e && DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture) >= reconnectedAt.AddSeconds(-2),
            Patience,
            "a present value of plc/counter");
        var stored = (await hub.GetAgentAsync("e2e-live"))!.Value.GetProperty("highestSequence").GetUInt64();
        Assert.False(latest!.Value.GetProperty("stored").GetBoolean(), $"came through the live lane: {latest}");
        Assert.True(stored < backlog / 2, $"the hub stored {stored} of {backlog} backlog batches when the present value arrived");

        // Lift the throttle: the backlog drains whole, exactly once, in order.
        relay.BytesPerSecondUp = 0;
        var target = LastDurable(agent);
        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-live"))?.GetProperty("highestSequence").GetUInt64() >= target, Patience, $"the backlog up to {target} to drain");
        await agent.KillAsync();
        var agentView = (await hub.GetAgentAsync("e2e-live"))!.Value;
        Assert.Equal(0, agentView.GetProperty("gaps").GetInt32());
        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-live", target, [.. CrashRecoveryTests.PlcTags, .. Enumerable.Range(30, 40).Select(a => $"bulk/r{a}")]);
    }

    [Fact]
    public async Task Agent_BacklogCappedAt4KiBPerSecond_DrainsAtTheCapWhileThePresentGoesFirst()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        var config = AgentConfigFile.WriteFull(
            folder.Path, "e2e-live", $"http://127.0.0.1:{hub.SyncPort}", 5, "gzip",
            "\"maxBatchPoints\": 100, \"maxBatchDelayMs\": 200",
            AgentConfigFile.PlcDevice(plc.Port, pollMs: 50),
            AgentConfigFile.BulkDevice(plc.Port, first: 30, count: 40, pollMs: 50));
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"compression\": \"gzip\" }", "\"compression\": \"gzip\", \"backlogBytesPerSecond\": 4096 }", StringComparison.Ordinal));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        await agent.WaitForLineAsync(Durable(), Patience, m => Last(m) >= 150);
        await hub.StartAsync();
        var reconnectedAt = DateTimeOffset.UtcNow;

        // The present is not held back by the cap.
        await Eventually.ReturnsAsync<JsonElement?>(
            async () => await LatestAsync(hub, "plc/counter"),
            v => v is { } e && DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture) >= reconnectedAt.AddSeconds(-2),
            Patience,
            "a present value of plc/counter");

        // Over ten seconds the backlog moves, at about one ~3-4 KiB batch a second: far below the link's speed
        // (the same backlog drains in about a second uncapped, LiveLaneTests' last step).
        var from = await HighestAsync(hub);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var to = await HighestAsync(hub);
        Assert.InRange(to - from, 2UL, 30UL);

        await agent.KillAsync();
        Assert.Equal(0, (await hub.GetAgentAsync("e2e-live"))!.Value.GetProperty("gaps").GetInt32());
        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-live", to, [.. CrashRecoveryTests.PlcTags, .. Enumerable.Range(30, 40).Select(a => $"bulk/r{a}")]);
    }

    private static async Task<ulong> HighestAsync(HubServer hub) =>
        (await hub.GetAgentAsync("e2e-live"))?.GetProperty("highestSequence").GetUInt64() ?? 0;

    private static async Task<JsonElement?> LatestAsync(HubServer hub, string tag)
    {
        using var response = await hub.Http.GetAsync(new Uri("/api/v1/agents/e2e-live/latest", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var value in document.RootElement.EnumerateArray())
        {
            if (value.GetProperty("tag").GetString() == tag)
            {
                return value.Clone();
            }
        }

        return null;
    }

    private static ulong Last(Match match) => ulong.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success).Select(Last).DefaultIfEmpty(0UL).Max();
}
