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
/// The counts come from the agent's own /status counters, never from its log: the log reaches the test late
/// under load (console logger queue, pipe) and a SIGKILL loses its tail, so a count summed from log lines, or a
/// durable mark taken from them, let a late drop in on one side only. The hub's count can only trail the agent's
/// (a drop is told with the next batch), so the two being equal at one look (agent read first) means the hub was
/// told every drop made until then. Points keep flowing meanwhile; nothing waits for the backlog to be empty.
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

        // The device goes dark (far fewer points, so the hub catches up even on a loaded machine), then the hub comes.
        await plc.KillAsync();
        await hub.StartAsync();
        var told = await Eventually.ReturnsAsync(
            async () =>
            {
                var dropped = (await OutboxAsync(status)).GetProperty("droppedPoints").GetInt64();
                var agentView = await hub.GetAgentAsync("e2e-budget");
                return (Agent: dropped, Hub: agentView?.GetProperty("droppedPoints").GetInt64());
            },
            s => s.Hub == s.Agent,
            Patience,
            "the hub to know of every point the agent dropped");
        Assert.Equal(0, await agent.StopAsync(Patience));

        // SIGTERM flushed the log: its drop lines account for at least what the hub was told.
        var droppedInLog = agent.Lines.Select(l => Dropped().Match(l)).Where(m => m.Success)
            .Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(told.Agent > 0);
        Assert.True(droppedInLog >= told.Agent, $"the log names {droppedInLog} dropped points, the agent's counter said {told.Agent}");

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
