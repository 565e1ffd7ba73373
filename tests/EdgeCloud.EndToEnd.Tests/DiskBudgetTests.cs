using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// A long outage on a small disk budget: the agent drops its oldest telemetry to stay within it,
/// and the hub learns exactly how many points were lost, besides the sequence gap.
/// </summary>
/// <remarks>
/// The counts are compared once nothing can move any more: the PLC is gone (no new points, so no
/// new drop), the hub acknowledged everything the agent made durable (read from the agent's own
/// /status, not from its log, which reaches us late under load), and the agent stopped with SIGTERM
/// so that its console logger flushed every drop line. Comparing while points still flowed, with a
/// durable mark taken from log lines that lagged behind, let a late drop in on one side only.
/// </remarks>
public sealed partial class DiskBudgetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"dropped the (\d+) oldest telemetry batches \((\d+) points")]
    private static partial Regex Dropped();

    [Fact]
    public async Task Agent_OutageOutgrowsTheBudget_HubIsToldEveryDroppedPointAndTheGap()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        var statusPort = FreePort.Next();
        // 1 MiB budget (the smallest allowed); 80 tags every 10 ms fill it within seconds.
        var config = AgentConfigFile.WithStatus(
            AgentConfigFile.WriteFull(
                folder.Path, "e2e-budget", hub.SyncUrl, 5, "gzip",
                "\"maxBatchPoints\": 200, \"maxBatchDelayMs\": 200, \"maxBytes\": 1048576",
                AgentConfigFile.BulkDevice(plc.Port, first: 20, count: 80, pollMs: 10)),
            $"127.0.0.1:{statusPort}");
        using var status = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{statusPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await using var agent = AgentProcess.Start("run", "--config", config);

        // Hub unreachable: the budget is reached and the oldest batches go, more than once.
        await Eventually.TrueAsync(async () => (await OutboxAsync(status)).GetProperty("droppedBatches").GetInt64() > 0, Patience, "a budget drop");
        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => Dropped().IsMatch(l)) >= 3), Patience, "three budget drops");

        // The device goes dark, then the hub comes: the backlog drains and no new drop can happen.
        await plc.KillAsync();
        await hub.StartAsync();
        var final = await Eventually.ReturnsAsync(
            async () =>
            {
                var outbox = await OutboxAsync(status);
                var agentView = await hub.GetAgentAsync("e2e-budget");
                return (outbox, agentView);
            },
            s => s.agentView is { } a
                && s.outbox.GetProperty("lastAcknowledgedSequence").GetUInt64() >= s.outbox.GetProperty("lastDurableSequence").GetUInt64()
                && a.GetProperty("droppedPoints").GetInt64() == s.outbox.GetProperty("droppedPoints").GetInt64(),
            Patience,
            "the hub to acknowledge the whole backlog and know of every drop");
        Assert.Equal(0, await agent.StopAsync(Patience));

        var droppedByAgent = agent.Lines.Select(l => Dropped().Match(l)).Where(m => m.Success)
            .Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var view = (await hub.GetAgentAsync("e2e-budget"))!.Value;
        Assert.True(droppedByAgent > 0);
        Assert.Equal(final.outbox.GetProperty("droppedPoints").GetInt64(), droppedByAgent);
        Assert.Equal(droppedByAgent, view.GetProperty("droppedPoints").GetInt64());

        // The dropped sequences are the hub's open gap: from 1 up to just below what it received first.
        using var gaps = JsonDocument.Parse(await hub.Http.GetStringAsync(new Uri("/api/v1/agents/e2e-budget/gaps", UriKind.Relative)));
        var first = gaps.RootElement.ValueKind == JsonValueKind.Array ? gaps.RootElement[0] : gaps.RootElement.GetProperty("gaps")[0];
        Assert.Equal(1UL, first.GetProperty("fromSequence").GetUInt64());
        Assert.True(first.GetProperty("filledAt").ValueKind == JsonValueKind.Null, $"the dropped range can never be filled: {first}");
    }

    /// <summary>The outbox part of the agent's /status: its live counters, ahead of its log.</summary>
    private static async Task<JsonElement> OutboxAsync(HttpClient status) =>
        (await status.GetFromJsonAsync<JsonElement>(new Uri("/status", UriKind.Relative))).GetProperty("outbox");
}
