using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The outbox under repeated crashes: the agent is SIGKILLed at random moments under load, many
/// times in a row (mid-poll, mid-fsync, mid-LiteDB write, mid-stream), restarted each time, and at
/// the end every batch any run reported durable is at the hub exactly once.
/// </summary>
public sealed partial class KillLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+) \((\d+) batches, (\d+) points\)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_KilledAtRandomMomentsFiftyTimes_EveryDurableBatchReachesHubExactlyOnce()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("EDGECLOUD_KILL_CYCLES"), out var c) ? c : 50;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"{cycles} kill cycles, seed {seed}");

        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var config = AgentConfigFile.Write(folder.Path, "e2e-kill", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port, pollMs: 50));
        string[] run = ["run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug", "--Logging:LogLevel:Default=Warning"];

        ulong maxDurable = 0;
        long durablePoints = 0;
        for (var i = 0; i < cycles; i++)
        {
            var agent = AgentProcess.Start(run);
            await Task.Delay(random.Next(300, 2500));
            await agent.KillAsync();
            foreach (var m in agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success))
            {
                maxDurable = Math.Max(maxDurable, ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                durablePoints += long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            }

            Assert.DoesNotContain(agent.Lines, l => l.Contains("crit:", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
            await agent.DisposeAsync();
        }

        output.WriteLine($"durable up to sequence {maxDurable} ({durablePoints} points) over {cycles} runs");
        Assert.True(maxDurable > 0, "no run made anything durable; the kill delays are too short for this machine");

        // A last, undisturbed run drains everything that is left.
        await using var final = AgentProcess.Start(run);
        await Eventually.TrueAsync(
            async () => (await hub.GetAgentAsync("e2e-kill"))?.GetProperty("highestSequence").GetUInt64() >= maxDurable,
            Patience,
            $"the hub to hold every sequence up to {maxDurable}");
        await final.KillAsync();

        var agentAtHub = await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-kill", maxDurable, CrashRecoveryTests.PlcTags);
        Assert.True(agentAtHub.GetProperty("points").GetInt64() >= durablePoints);
    }
}
