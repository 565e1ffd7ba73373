using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The link cut between network namespaces with nftables: the agent process (and its PLC) runs in a
/// namespace of its own, the hub on the host side of a veth pair. Resets, then a silent blackhole that
/// only HTTP/2 keepalive can notice; nothing may be lost or doubled.
/// </summary>
public sealed partial class NetworkFaultTests
{
    private const int KeepAliveSeconds = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [GeneratedRegex(@"Hub link (down|lost)")]
    private static partial Regex LinkDown();

    [GeneratedRegex(@"retrying in (\d+):(\d+):(\d+(?:\.\d+)?)")]
    private static partial Regex RetryDelay();

    [Fact]
    public async Task Agent_LinkResetThenBlackholedByNftables_KeepaliveNoticesReconnectsWithJitterExactlyOnce()
    {
        using var netns = NetworkNamespace.Create();
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync(netns.Name);
        await using var hub = new HubServer(folder.Sub("hub"), syncHost: netns.HostAddress);
        await hub.StartAsync();
        var config = AgentConfigFile.Write(folder.Path, "e2e-netns", hub.SyncUrl, KeepAliveSeconds, AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));
        await using var agent = AgentProcess.StartIn(netns.Name, "run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");
        await WaitForHubAsync(hub, agent, 5);

        // 1. Every packet towards the hub answered with a reset, for a while.
        var downs = agent.Lines.Count(l => LinkDown().IsMatch(l));
        netns.Reset(hub.SyncPort);
        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => LinkDown().IsMatch(l)) > downs), TimeSpan.FromSeconds(30), "the agent to see the resets");
        netns.Heal();
        await WaitForHubAsync(hub, agent, LastDurable(agent) + 5);

        // 2. Blackholed: no FIN, no RST, nothing. Only the HTTP/2 PINGs (every 2 s, 2 s to answer) can tell.
        downs = agent.Lines.Count(l => LinkDown().IsMatch(l));
        var cut = Stopwatch.StartNew();
        netns.Blackhole(hub.SyncPort);
        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => LinkDown().IsMatch(l)) > downs), TimeSpan.FromSeconds(30), "keepalive to notice the dead link");
        var noticed = cut.Elapsed;
        // Ping delay + ping timeout is 4 s; the bound leaves room for a ping just sent and a loaded machine.
        Assert.True(noticed < TimeSpan.FromSeconds(4 * KeepAliveSeconds * 2), $"dead link noticed after {noticed.TotalSeconds:F1} s");

        // Let reconnects fail against the blackhole a few times, then heal.
        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => RetryDelay().IsMatch(l)) >= 2), TimeSpan.FromSeconds(40), "reconnect attempts into the blackhole");
        netns.Heal();
        var target = LastDurable(agent) + 5;
        await WaitForHubAsync(hub, agent, target);
        await agent.KillAsync();

        // Reconnect delays are jittered: some lie off the bare exponential grid (0.5 s x 2^k, capped at
        // maxBackoffSeconds = 2, which a jittered delay may also be clamped to).
        var delays = agent.Lines.Select(l => RetryDelay().Match(l)).Where(m => m.Success).Select(ToSeconds).ToList();
        Assert.Contains(delays, d => !new[] { 0.5, 1.0, 2.0 }.Any(step => Math.Abs(d - step) < 1e-6));
        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-netns", target, CrashRecoveryTests.PlcTags);
    }

    private static double ToSeconds(Match m) =>
        (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 3600) + (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 60)
        + double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);

    private static async Task WaitForHubAsync(HubServer hub, AgentProcess agent, ulong sequence)
    {
        await agent.WaitForLineAsync(Durable(), Patience, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= sequence);
        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-netns"))?.GetProperty("highestSequence").GetUInt64() >= sequence, Patience, $"the hub to hold sequence {sequence}");
    }

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success).Select(m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0UL).Max();
}
