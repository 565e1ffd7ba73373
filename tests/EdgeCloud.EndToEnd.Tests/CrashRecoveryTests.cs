using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The outbox's promise under crashes: every batch the outbox reported durable reaches the hub
/// exactly once, across SIGKILLs of the agent with the hub down and with the hub mid-stream.
/// </summary>
public sealed partial class CrashRecoveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] DebugOutbox = ["--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug"];

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+) \((\d+) batches, (\d+) points\)")]
    private static partial Regex Durable();

    [GeneratedRegex(@"Hub link up")]
    private static partial Regex LinkUp();

    [Fact]
    public async Task Agent_KilledAfterOutboxAcknowledgedPoints_EveryDurablePointReachesHubExactlyOnce()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        var config = AgentConfigFile.Write(folder.Path, "e2e-crash", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));
        var durable = new List<(ulong Last, long Points)>();

        // 1. Hub down: points can only pile up in the outbox. Kill once several batches are durable.
        var first = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        await first.WaitForLineAsync(Durable(), Patience, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= 5);
        await first.KillAsync();
        durable.AddRange(Parse(first));
        await first.DisposeAsync();

        // 2. Hub up; restart the agent and kill it again while it streams (acked, in flight and
        //    unsent batches all exist at that moment).
        await hub.StartAsync();
        var second = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        await second.WaitForLineAsync(LinkUp(), Patience);
        var beforeKill = durable.Max(d => d.Last);
        await second.WaitForLineAsync(Durable(), Patience, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= beforeKill + 5);
        await second.KillAsync();
        durable.AddRange(Parse(second));
        await second.DisposeAsync();

        // 3. Restart once more and stop it cleanly; everything durable must drain.
        await using var third = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        await third.WaitForLineAsync(LinkUp(), Patience);
        var lastBeforeStop = durable.Max(d => d.Last);
        await Eventually.TrueAsync(
            async () => (await hub.GetAgentAsync("e2e-crash"))?.GetProperty("highestSequence").GetUInt64() >= lastBeforeStop,
            Patience,
            $"the hub to hold sequence {lastBeforeStop}");
        Assert.Equal(0, await third.StopAsync(TimeSpan.FromSeconds(30)));
        durable.AddRange(Parse(third));

        // The clean stop sealed its last points after the link closed; start once more to drain.
        await using var fourth = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        var finalSequence = durable.Max(d => d.Last);
        await Eventually.TrueAsync(
            async () => (await hub.GetAgentAsync("e2e-crash"))?.GetProperty("highestSequence").GetUInt64() >= finalSequence,
            Patience,
            $"the hub to hold every durable sequence up to {finalSequence}");
        await fourth.KillAsync();

        var agent = await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-crash", finalSequence, PlcTags);

        // Every point of every batch the outbox ever reported durable is at the hub (the hub may
        // hold more: batches sealed by the last run after the totals were read).
        Assert.True(agent.GetProperty("points").GetInt64() >= durable.Sum(d => d.Points));
    }

    [Fact]
    public async Task Agent_DataFolderWipedWhileHubKeepsItsHistory_NewLifeStoredWhole()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var config = AgentConfigFile.Write(folder.Path, "e2e-wiped", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port, pollMs: 100));

        await using (var first = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]))
        {
            await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-wiped"))?.GetProperty("highestSequence").GetUInt64() >= 5, Patience, "five batches at the hub");
            Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(30)));
        }

        var before = (await hub.GetAgentAsync("e2e-wiped"))!.Value;
        var highestBefore = before.GetProperty("highestSequence").GetUInt64();

        // A reinstall: the outbox is gone and sequences start over at 1 while the hub holds 1..N
        // from the earlier life. The new life outruns N before it can connect: without the epoch
        // check the hub would skip the new 1..N as duplicates.
        Directory.Delete(Path.Combine(folder.Path, "data"), recursive: true);
        await hub.StopAsync();
        var second = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        await second.WaitForLineAsync(Durable(), Patience, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= highestBefore + 3);
        Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(30)));
        var newLife = Parse(second).ToList();
        await second.DisposeAsync();

        await hub.StartAsync();
        await using var third = AgentProcess.Start(["run", "--config", config, .. DebugOutbox]);
        await third.WaitForLineAsync(LinkUp(), Patience);
        var expected = newLife.Sum(d => d.Points);
        await Eventually.ReturnsAsync(
            async () => await hub.GetAgentAsync("e2e-wiped"),
            a => a?.GetProperty("batches").GetInt64() >= before.GetProperty("batches").GetInt64() + newLife.Count,
            Patience,
            "the new life's batches at the hub");
        await third.KillAsync();

        Assert.Contains(third.Lines, l => l.Contains("earlier life of this agent", StringComparison.Ordinal));
        var after = (await hub.GetAgentAsync("e2e-wiped"))!.Value;

        // Every batch and point of the new life is stored (the bug stored none of the new 1..N),
        // the jump between the two lives is not reported as a loss, and nothing is stored twice.
        Assert.True(after.GetProperty("batches").GetInt64() >= before.GetProperty("batches").GetInt64() + newLife.Count, $"before {before}, after {after}, new life {newLife.Count} batches");
        Assert.True(after.GetProperty("points").GetInt64() >= before.GetProperty("points").GetInt64() + expected, $"before {before}, after {after}, new life {expected} points");
        Assert.Equal(0, after.GetProperty("gaps").GetInt32());
        foreach (var tag in PlcTags)
        {
            var stamps = (await hub.GetTelemetryAsync("e2e-wiped", tag, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5)))
                .GetProperty("points").EnumerateArray().Select(p => p.GetProperty("t").GetString()).ToList();
            Assert.Equal(stamps.Count, stamps.Distinct(StringComparer.Ordinal).Count());
        }
    }

    internal static readonly string[] PlcTags =
        ["plc/temperature", "plc/pressure", "plc/torque", "plc/energy", "plc/offset", "plc/speed", "plc/level", "plc/counter", "plc/ambient"];

    private static IEnumerable<(ulong Last, long Points)> Parse(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success)
            .Select(m => (ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)));
}
