using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The link between agent and hub failing the ways real networks fail, through <see cref="TcpRelay"/>:
/// reset connections and a silently dead link that only HTTP/2 keepalive can notice.
/// </summary>
public sealed partial class LinkFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_LinkResetThenSilentlyDead_ReconnectsAndDeliversExactlyOnce()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        await using var relay = new TcpRelay(hub.SyncPort);
        var config = AgentConfigFile.Write(folder.Path, "e2e-link", $"http://127.0.0.1:{relay.Port}", keepAliveSeconds: 2, AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        await WaitForHubAsync(hub, agent, 5);

        // 1. Every connection reset (RST) mid-stream.
        relay.ResetAll();
        await WaitForHubAsync(hub, agent, LastDurable(agent) + 5);
        Assert.True(relay.Connections >= 2, $"expected a reconnect, relay saw {relay.Connections} connections");

        // 2. The link goes silent: no bytes, no FIN, no RST. Only the HTTP/2 PINGs (every 2 s
        //    here) can tell; the agent must give up on it and open a new connection.
        var before = relay.Connections;
        relay.StallAll();
        await Eventually.TrueAsync(() => Task.FromResult(relay.Connections > before), TimeSpan.FromSeconds(30), "a new connection after the link went silent");
        var target = LastDurable(agent) + 5;
        await WaitForHubAsync(hub, agent, target);
        await agent.KillAsync();

        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-link", target, CrashRecoveryTests.PlcTags);
    }

    private static async Task WaitForHubAsync(HubServer hub, AgentProcess agent, ulong sequence)
    {
        await agent.WaitForLineAsync(Durable(), Patience, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= sequence);
        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-link"))?.GetProperty("highestSequence").GetUInt64() >= sequence, Patience, $"the hub to hold sequence {sequence}");
    }

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success).Select(m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0UL).Max();
}
