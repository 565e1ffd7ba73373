using EdgeCloud.Hub.Fleet.Rollouts;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>The soak check of one agent against its baseline, rule by rule (a pure function: no hub needed).</summary>
public sealed class HealthGateTests
{
    private static readonly DateTimeOffset SoakEnd = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Fact]
    public void Check_DataFlowsAfterRestart_HealthyAtSoakEnd()
    {
        // The new build restarted: its counters begin again below the soak start's.
        var result = Check(Soaking(start: new HealthSample(0, 50, 100_000, 0)), "agent", new AgentHealth { PointsProduced = 400, PollErrors = 1 });

        Assert.Equal(CampaignStates.Healthy, result.State);
    }

    [Fact]
    public void Check_BeforeSoakEnd_StaysSoaking()
    {
        var agent = Soaking(start: new HealthSample(0, 0, 1000, 0));

        var result = HealthGate.Check(agent, Campaign(), "agent", true, new AgentHealth { PointsProduced = 1000 }, SoakEnd.AddSeconds(-1), Grace);

        Assert.Equal(CampaignStates.Soaking, result.State);
    }

    [Theory]
    [InlineData(1000UL, 0UL, 0UL, 0UL, "agent", "no_data")]
    [InlineData(1500UL, 200UL, 0UL, 0UL, "agent", "poll_errors")]
    [InlineData(1500UL, 0UL, 500UL, 0UL, "agent", "outbox_growing")]
    [InlineData(1500UL, 0UL, 0UL, 3UL, "model", "inference_errors")]
    public void Check_GateBroken_UnhealthyWithReason(ulong points, ulong pollErrors, ulong outbox, ulong inferenceErrors, string kind, string reason)
    {
        var health = new AgentHealth { PointsProduced = points, PollErrors = pollErrors, OutboxBatches = outbox, InferenceErrors = inferenceErrors };

        var result = Check(Soaking(start: new HealthSample(0, 0, 1000, 0)), kind, health);

        Assert.Equal((CampaignStates.Unhealthy, reason), (result.State, result.Reason));
    }

    [Fact]
    public void Check_InferenceErrorsOnAgentBuild_NotJudged()
    {
        var result = Check(Soaking(start: new HealthSample(0, 0, 1000, 0)), "agent", new AgentHealth { PointsProduced = 1500, InferenceErrors = 3 });

        Assert.Equal(CampaignStates.Healthy, result.State);
    }

    [Fact]
    public void Check_Offline_UnhealthyOnlyAfterGrace()
    {
        var agent = Soaking(start: new HealthSample(0, 0, 1000, 0));
        var early = SoakEnd.AddMinutes(-5);

        var first = HealthGate.Check(agent, Campaign(), "agent", false, null, early, Grace);
        var within = HealthGate.Check(first, Campaign(), "agent", false, null, early + Grace - TimeSpan.FromSeconds(1), Grace);
        var beyond = HealthGate.Check(first, Campaign(), "agent", false, null, early + Grace + TimeSpan.FromSeconds(1), Grace);

        Assert.Equal((CampaignStates.Soaking, early), (first.State, first.OfflineSince));
        Assert.Equal(CampaignStates.Soaking, within.State);
        Assert.Equal((CampaignStates.Unhealthy, "offline"), (beyond.State, beyond.Reason));
    }

    private static CampaignAgentRecord Check(CampaignAgentRecord agent, string kind, AgentHealth health) =>
        HealthGate.Check(agent, Campaign(), kind, true, health, SoakEnd, Grace);

    /// <summary>An agent whose baseline had 2 poll errors per 1000 points and 10 batches waiting.</summary>
    private static CampaignAgentRecord Soaking(HealthSample start) => new(
        "c1", "gw-1", 0, CampaignStates.Soaking, null, null, "1.2.3", 0, new HealthSample(10, 2, 1000, 0), start, SoakEnd.AddMinutes(-10), SoakEnd, null);

    private static CampaignRecord Campaign() => new(
        "c1", "default", "roll", "a1", ["line-1"], null, [100], 600, 0.2, 300, false, 0.05, 100, CampaignStates.Running, 0, 0, null, 1, "admin", SoakEnd.AddHours(-1));
}
