using System.Text.RegularExpressions;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Outbox.Store;
using EdgeCloud.Edge.Points;
using EdgeCloud.EndToEnd.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The size contract between agent and hub (docs/sync.md, "Message size"), with a real agent process and a
/// real hub on loopback. The outbox is filled before the agent starts with a batch larger than gRPC's default
/// 4 MiB receive limit, as an older agent left it (its compaction carriers grew to budget / 16, 64 MiB on a
/// 1 GiB budget), followed by a small batch that must not wait behind it forever.
/// </summary>
public sealed partial class MessageSizeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Points in the large batch: ~7 MiB with their 64-character tag names (the longest a name may be), no compression.</summary>
    private const int LargePoints = 80_000;

    [GeneratedRegex(@"Batch 1 is (\d+) bytes, above the message limit of the hub .* \(4194304 bytes\)")]
    private static partial Regex TooLarge();

    [Fact]
    public async Task Agent_BatchAboveGrpcDefaultLimit_ReachesTheHubAndTheLinkMovesOn()
    {
        using var folder = new TempFolder();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var config = await PrefilledAgentAsync(folder, "e2e-large-batch", hub.SyncUrl);

        await using var agent = AgentProcess.Start("run", "--config", config);
        await WithAgentOutputAsync(agent, Eventually.TrueAsync(() => BothArrivedAsync(hub, "e2e-large-batch"), Patience, $"the large batch's {LargePoints} points and the small one's behind it at the hub"));
    }

    [Fact]
    public async Task Agent_BatchAboveTheHubsLimit_IsNamedOnceKeptAndSentWhenTheLimitIsRaised()
    {
        using var folder = new TempFolder();
        var hub = new HubServer(folder.Sub("hub"));
        try
        {
            await hub.StartAsync("--Ingest:MaxReceiveMessageBytes=4194304");
            var config = await PrefilledAgentAsync(folder, "e2e-refused-batch", hub.SyncUrl);
            await using var agent = AgentProcess.Start("run", "--config", config);

            var named = await agent.WaitForLineAsync(TooLarge(), Patience);
            Assert.True(long.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 4194304, named.Value);

            // Not resent in a loop: the agent waits its longest backoff (2 s here) between attempts and logs the
            // error once per batch, and the small batch behind it is kept, not skipped.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Single(agent.Lines, l => TooLarge().IsMatch(l));
            Assert.Equal(0, (await hub.GetAgentAsync("e2e-refused-batch"))?.GetProperty("points").GetInt64() ?? 0);

            // The operator raises the hub's limit: both batches arrive, nothing was lost meanwhile.
            await hub.StopAsync();
            await using var raised = new HubServer(folder.Sub("hub"), hub.SyncPort);
            await raised.StartAsync();
            await WithAgentOutputAsync(agent, Eventually.TrueAsync(() => BothArrivedAsync(raised, "e2e-refused-batch"), Patience, "both batches at the hub once its limit was raised"));
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    /// <summary>
    /// The large batch's last point and the small batch's point are at the hub, with at least their points in
    /// its count (the unreachable device adds bad-quality points of its own behind them).
    /// </summary>
    private static async Task<bool> BothArrivedAsync(HubServer hub, string agentId)
    {
        var points = (await hub.GetAgentAsync(agentId))?.GetProperty("points").GetInt64() ?? 0;
        if (points < LargePoints + 1)
        {
            return false;
        }

        var from = DateTimeOffset.UtcNow.AddHours(-1);
        var to = DateTimeOffset.UtcNow.AddMinutes(5);
        var last = await hub.GetTelemetryAsync(agentId, $"old/{TagName(LargePoints - 1)}", from, to);
        var after = await hub.GetTelemetryAsync(agentId, "old/after", from, to);
        return last.GetProperty("points").GetArrayLength() == 1 && after.GetProperty("points").GetArrayLength() == 1;
    }

    private static async Task WithAgentOutputAsync(AgentProcess agent, Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nagent said:\n{agent.Output}", ex);
        }
    }

    private static string TagName(int i) => $"{new string('t', 58)}{i:000000}";

    /// <summary>An agent.json (a device that never answers: no points of its own) whose outbox already holds a large and a small batch.</summary>
    private static async Task<string> PrefilledAgentAsync(TempFolder folder, string agentId, string hubUrl)
    {
        var dir = Directory.CreateDirectory(folder.Sub("agent")).FullName;
        var config = AgentConfigFile.WriteFull(dir, agentId, hubUrl, 5, "none", "\"maxBatchPoints\": 50, \"maxBatchDelayMs\": 300", AgentConfigFile.DeadDevice(FreePort.Next()));
        var options = new OutboxOptions { Directory = Path.Combine(dir, "data", "outbox"), JournalSegmentBytes = 16 * 1024 * 1024 };
        using var outbox = new LiteDbOutbox(options, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var large = Enumerable.Range(0, LargePoints)
            .Select(i => new DataPoint("old", TagName(i), at.AddMilliseconds(i), TagValue.FromNumber(i), PointQuality.Good))
            .ToList();
        var payload = BatchEncoder.Encode(large, BatchEncoder.ToUnixNano(at), clockSynchronized: true);
        Assert.True(payload.Length > 4 * 1024 * 1024, $"the large batch is {payload.Length} bytes");
        await outbox.AppendAsync(new OutboxBatch(OutboxBatchKind.Telemetry, large.Count, BatchEncoder.ToUnixNano(at), payload), CancellationToken.None);
        var small = new[] { new DataPoint("old", "after", at.AddMinutes(1), TagValue.FromNumber(1), PointQuality.Good) };
        await outbox.AppendAsync(new OutboxBatch(OutboxBatchKind.Telemetry, 1, BatchEncoder.ToUnixNano(at), BatchEncoder.Encode(small, BatchEncoder.ToUnixNano(at), true)), CancellationToken.None);
        return config;
    }
}
