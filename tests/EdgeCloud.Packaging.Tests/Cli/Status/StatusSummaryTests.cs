using EdgeCloud.Edge.Agent.Cli.Status;
using EdgeCloud.Edge.Agent.Status;

namespace EdgeCloud.Packaging.Tests.Cli.Status;

public sealed class StatusSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static AgentStatusReport Report(
        bool connected = true, bool healthy = true, long batches = 0, double rate = 0, double? eta = 0, long dropped = 0, bool clock = true) =>
        new(
            "gw-01",
            "1.2.3",
            Now,
            Now.AddHours(-2).AddMinutes(-13),
            TimeSpan.FromMinutes(133).TotalSeconds,
            new AgentStatusReport.HealthPart(healthy, healthy ? null : "the outbox failed: disk I/O error"),
            new AgentStatusReport.OutboxPart(batches, batches * 50, 4096, 120, 120 - (ulong)batches, dropped > 0 ? 1 : 0, dropped),
            new AgentStatusReport.SyncPart(
                new Uri("http://hub:5081/"), connected, Now.AddMinutes(-5), connected ? null : "Unavailable: connection refused", 40, 120 - (ulong)batches, Now.AddSeconds(-2), rate, eta),
            clock,
            [new AgentStatusReport.DevicePart("plc1", "modbus-tcp", 900, 3)]);

    [Fact]
    public void Summarize_ConnectedAndHealthy_NoProblemsAndTheUsualLines()
    {
        var (lines, problems) = StatusSummary.Summarize(Report());

        Assert.Empty(problems);
        Assert.Equal("agent     gw-01 1.2.3, up 2h 13m", lines[0]);
        Assert.Contains("hub       connected to http://hub:5081/ since 2026-11-24T11:55:00Z (5m 0s ago)", lines);
        Assert.Contains("backlog   0 batches (0 points, 4 KiB), empty", lines);
        Assert.Contains("last ack  sequence 120 at 2026-11-24T11:59:58Z (2s ago); durable up to 120", lines);
        Assert.Contains("device    plc1 (modbus-tcp): 900 polls, 3 errors", lines);
        Assert.Equal("status    healthy", lines[^1]);
    }

    [Fact]
    public void Summarize_HubDownWithBacklog_UnhealthyWithReasonAndEta()
    {
        var (lines, problems) = StatusSummary.Summarize(Report(connected: false, batches: 30, rate: 2.5, eta: 12));

        Assert.Contains("not connected to the hub http://hub:5081/ (Unavailable: connection refused)", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains("backlog   30 batches (1500 points, 4 KiB), draining at 2.5 batches/s, ETA 12s", lines);
        Assert.StartsWith("status    UNHEALTHY: not connected", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_OutboxFailed_Unhealthy()
    {
        var (_, problems) = StatusSummary.Summarize(Report(healthy: false));

        Assert.Equal("the outbox failed: disk I/O error", Assert.Single(problems));
    }

    [Fact]
    public void Summarize_DroppedPointsAndFreeClock_WarningsOnly()
    {
        var (lines, problems) = StatusSummary.Summarize(Report(dropped: 500, clock: false, batches: 3, eta: null));

        Assert.Empty(problems);
        Assert.Contains(lines, l => l.StartsWith("dropped   500 points in 1 batches (WARNING", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("clock     NOT synchronized", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("not draining", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(61, "1m 1s")]
    [InlineData(3 * 3600 + 120, "3h 2m")]
    [InlineData(2 * 86400 + 3600, "2d 1h")]
    [InlineData(-5, "0s")]
    public void Duration_Spans_ShortHumanText(int seconds, string expected) =>
        Assert.Equal(expected, StatusSummary.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Summarize_DownloadInProgress_BuildLineAndProgressBar()
    {
        var report = Report() with
        {
            Update = new AgentStatusReport.UpdatePart("1.2.3", "a", true, "c7", "agent edge-agent 1.3.0", "downloading", 4_718_592, 10_485_760, null, null),
        };

        var (lines, problems) = StatusSummary.Summarize(report);

        Assert.Empty(problems);
        Assert.Contains("build     1.2.3 (slot a, ON TRIAL until its health gate passes)", lines);
        Assert.Contains("rollout   agent edge-agent 1.3.0 (campaign c7): downloading [#########-----------]  45% 4.5 MiB/10 MiB", lines);
    }

    [Fact]
    public void Summarize_RolloutRefused_ReasonAndDetailShown()
    {
        var report = Report() with
        {
            Update = new AgentStatusReport.UpdatePart("1.2.3", null, false, "c8", "model pump 2.0.0", "failed", 0, 2048, "bad_signature", "the signature does not verify"),
        };

        var (lines, _) = StatusSummary.Summarize(report);

        Assert.Contains("build     1.2.3 (packaged build)", lines);
        Assert.Contains("rollout   model pump 2.0.0 (campaign c8): failed [bad_signature]: the signature does not verify", lines);
    }
}
