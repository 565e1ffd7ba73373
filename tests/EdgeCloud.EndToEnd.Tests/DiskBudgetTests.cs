using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// A long outage on a small disk budget: the agent drops its oldest telemetry to stay within it,
/// and the hub learns exactly how many points were lost, besides the sequence gap.
/// </summary>
public sealed partial class DiskBudgetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"dropped the (\d+) oldest telemetry batches \((\d+) points")]
    private static partial Regex Dropped();

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Agent_OutageOutgrowsTheBudget_HubIsToldEveryDroppedPointAndTheGap()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        // 1 MiB budget (the smallest allowed); 80 tags every 10 ms fill it within seconds.
        var config = AgentConfigFile.WriteFull(
            folder.Path, "e2e-budget", hub.SyncUrl, 5, "gzip",
            "\"maxBatchPoints\": 200, \"maxBatchDelayMs\": 200, \"maxBytes\": 1048576",
            AgentConfigFile.BulkDevice(plc.Port, first: 20, count: 80, pollMs: 10));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        // Hub unreachable: the budget is reached and the oldest batches go, more than once.
        await agent.WaitForLineAsync(Dropped(), Patience);
        await Eventually.TrueAsync(() => Task.FromResult(agent.Lines.Count(l => Dropped().IsMatch(l)) >= 3), Patience, "three budget drops");

        await hub.StartAsync();
        // Once the hub holds everything made durable after the last drop, it has been told of all of them.
        await Eventually.TrueAsync(
            async () =>
            {
                var dropLines = agent.Lines.Where(l => Dropped().IsMatch(l)).ToList();
                var durable = LastDurable(agent);
                var agentView = await hub.GetAgentAsync("e2e-budget");
                return agentView is { } a
                    && a.GetProperty("highestSequence").GetUInt64() >= durable
                    && agent.Lines.Where(l => Dropped().IsMatch(l)).Count() == dropLines.Count;
            },
            Patience,
            "the hub to catch up past the last drop");
        await agent.KillAsync();

        var droppedByAgent = agent.Lines.Select(l => Dropped().Match(l)).Where(m => m.Success)
            .Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var view = (await hub.GetAgentAsync("e2e-budget"))!.Value;
        Assert.True(droppedByAgent > 0);
        Assert.Equal(droppedByAgent, view.GetProperty("droppedPoints").GetInt64());

        // The dropped sequences are the hub's open gap: from 1 up to just below what it received first.
        using var gaps = JsonDocument.Parse(await hub.Http.GetStringAsync(new Uri("/api/v1/agents/e2e-budget/gaps", UriKind.Relative)));
        var first = gaps.RootElement.ValueKind == JsonValueKind.Array ? gaps.RootElement[0] : gaps.RootElement.GetProperty("gaps")[0];
        Assert.Equal(1UL, first.GetProperty("fromSequence").GetUInt64());
        Assert.True(first.GetProperty("filledAt").ValueKind == JsonValueKind.Null, $"the dropped range can never be filled: {first}");
    }

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success)
            .Select(m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0UL).Max();
}
