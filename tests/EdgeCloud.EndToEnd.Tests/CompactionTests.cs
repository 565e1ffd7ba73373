using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// An outage that outgrows a small disk budget, with enough samples per tag for rollups to pay: the agent
/// compacts its oldest raw batches instead of dropping them, and the hub stores them as rollups under their
/// own sequences, with exact counts and no gap left.
/// </summary>
public sealed partial class CompactionTests
{
    private const string AgentId = "e2e-compact";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"compacted the (\d+) oldest telemetry batches \((\d+) points\)")]
    private static partial Regex Compacted();

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_OutageOutgrowsTheBudget_OldestCompactedNotDroppedAndHubHoldsExactRollups()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        // 1 MiB budget; 40 tags every 10 ms in batches of 1000 points: 25 samples per tag and batch.
        var config = AgentConfigFile.WriteFull(
            folder.Path, AgentId, hub.SyncUrl, 5, "gzip",
            "\"maxBatchPoints\": 1000, \"maxBatchDelayMs\": 1000, \"maxBytes\": 1048576",
            AgentConfigFile.BulkDevice(plc.Port, first: 20, count: 40, pollMs: 10));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => Compacted().IsMatch(l)) >= 3), Patience, "three compactions while the hub is away");
        await hub.StartAsync();
        // The agent logs a compaction after it has written the carrier, so the hub can hold a carrier
        // the log does not name yet: caught up means the hub holds the last durable sequence and the
        // log names as many compacted points as the hub holds (a mismatch that lasts fails here).
        await Eventually.TrueAsync(
            async () =>
            {
                var seen = await hub.GetAgentAsync(AgentId);
                return LastDurable(agent) > 0 && seen?.GetProperty("highestSequence").GetUInt64() >= LastDurable(agent)
                    && seen?.GetProperty("compactedPoints").GetInt64() == CompactedByAgent(agent);
            },
            Patience,
            "the hub to catch up and the agent's log to name every compaction the hub holds");
        await agent.KillAsync();

        Assert.DoesNotContain(agent.Lines, l => l.Contains("oldest telemetry batches", StringComparison.Ordinal) && l.Contains("dropped", StringComparison.Ordinal));
        var compactedByAgent = CompactedByAgent(agent);
        var tags = Enumerable.Range(20, 40).Select(a => $"bulk/r{a}").ToList();
        // Every sequence once, no gap open (the compacted ranges were filled by their entries), raw points once.
        var view = await HubAssertions.AssertExactlyOnceAsync(hub, AgentId, LastDurable(agent), tags);
        Assert.Equal((compactedByAgent, 0L), (view.GetProperty("compactedPoints").GetInt64(), view.GetProperty("droppedPoints").GetInt64()));

        // The 1-minute rollups count every good point: those stored raw and those that came as rollups.
        long rolledUp = 0, rawGood = 0;
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));
        foreach (var tag in tags)
        {
            using var minutes = JsonDocument.Parse(await hub.Http.GetStringAsync(new Uri($"/api/v1/telemetry?agent={AgentId}&tag={tag}&from={from}&to={to}&resolution=1m&limit=1000", UriKind.Relative)));
            rolledUp += minutes.RootElement.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64());
            var raw = await hub.GetTelemetryAsync(AgentId, tag, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5));
            rawGood += raw.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("q").GetString() == "good");
        }

        Assert.True(compactedByAgent > 0);
        Assert.Equal(rawGood + compactedByAgent, rolledUp);
    }

    private static long CompactedByAgent(AgentProcess agent) =>
        agent.Lines.Select(l => Compacted().Match(l)).Where(m => m.Success).Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success)
            .Select(m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0UL).Max();
}
