using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>The hub away (never started, then restarted mid-stream): points pile up and drain, none lost, none doubled.</summary>
public sealed partial class HubOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_HubUnreachableThenRestarted_BacklogDrainsExactlyOnce()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        var config = AgentConfigFile.Write(folder.Path, "e2e-outage", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        // Hub unreachable: the agent keeps polling and the outbox grows.
        await agent.WaitForLineAsync(Durable(), Patience, m => Last(m) >= 10);
        Assert.DoesNotContain(agent.Lines, l => l.Contains("Hub link up", StringComparison.Ordinal));

        await hub.StartAsync();
        var backlog = LastDurable(agent);

        // The first health report comes right after the Welcome, before the backlog drained.
        var health = await Eventually.ReturnsAsync<JsonElement?>(
            async () => await hub.GetAgentAsync("e2e-outage") is { } a && a.GetProperty("health").ValueKind == JsonValueKind.Object ? a.GetProperty("health") : null,
            h => h is not null,
            Patience,
            "the agent's first health report");
        Assert.True(health!.Value.GetProperty("backlogBatches").GetUInt64() >= 10, $"backlog at reconnect: {health}");

        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-outage"))?.GetProperty("highestSequence").GetUInt64() >= backlog, Patience, $"the backlog up to {backlog} to drain");

        // The hub goes away again mid-stream (a restart on the same data), then returns.
        await hub.StopAsync();
        var during = LastDurable(agent);
        await agent.WaitForLineAsync(Durable(), Patience, m => Last(m) >= during + 5);
        await hub.StartAsync();
        var target = LastDurable(agent);
        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-outage"))?.GetProperty("highestSequence").GetUInt64() >= target, Patience, $"the hub to catch up to {target}");
        await agent.KillAsync();

        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-outage", target, CrashRecoveryTests.PlcTags);
    }

    private static ulong Last(Match match) => ulong.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success).Select(Last).DefaultIfEmpty(0UL).Max();
}
