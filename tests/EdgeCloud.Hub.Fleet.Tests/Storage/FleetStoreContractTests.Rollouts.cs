using EdgeCloud.Hub.Fleet.Storage;

namespace EdgeCloud.Hub.Fleet.Tests.Storage;

/// <summary>
/// The rollout store on each backend: release keys, artifacts and campaigns round-trip every field and stay in their
/// tenant, and the scheduler's conditional steps (campaign promote/pause, agent state moves) have exactly one winner
/// when replicas race.
/// </summary>
public abstract partial class FleetStoreContractTests
{
    private protected IRolloutStore Rollouts => (IRolloutStore)Store;

    [Fact]
    public async Task ReleaseKeysAndArtifacts_RoundTripPerTenant()
    {
        Assert.True(await Rollouts.AddReleaseKeyAsync(new ReleaseKeyRecord("k1", "t1", "ci", "PEM-1", "u1", Now), None));
        Assert.False(await Rollouts.AddReleaseKeyAsync(new ReleaseKeyRecord("k1", "t1", "again", "PEM-1", "u1", Now), None));
        Assert.True(await Rollouts.AddReleaseKeyAsync(new ReleaseKeyRecord("k1", "t2", "theirs", "PEM-1", "u2", Now), None));
        Assert.Equal([("k1", "ci", "PEM-1", Now)], (await Rollouts.ListReleaseKeysAsync("t1", None)).Select(k => (k.Id, k.Name, k.PublicKeyPem, k.CreatedAt)));

        var older = new ArtifactRecord("art-1", "t1", "model", "vib", "1.0.0", 10, "aa", 4, ["c1", "c2", "c3"], [1, 2, 255], "k1", "u1", Now);
        var newer = older with { Id = "art-2", Version = "1.1.0-rc1", UploadedAt = Now.AddMinutes(1) };
        await Rollouts.AddArtifactAsync(older, None);
        await Rollouts.AddArtifactAsync(newer, None);

        var stored = await Rollouts.GetArtifactAsync("t1", "art-1", None);
        Assert.Equal(["c1", "c2", "c3"], stored!.ChunkSha256);
        Assert.Equal(older.Signature, stored.Signature);
        Assert.Equal(older with { ChunkSha256 = stored.ChunkSha256, Signature = stored.Signature }, stored);
        Assert.Null(await Rollouts.GetArtifactAsync("t2", "art-1", None));
        Assert.Equal(["art-2", "art-1"], (await Rollouts.ListArtifactsAsync("t1", None)).Select(a => a.Id));
        Assert.Empty(await Rollouts.ListArtifactsAsync("t2", None));
    }

    [Fact]
    public async Task Campaign_RoundTripsWithItsAgents_AndStaysInItsTenant()
    {
        var sample = new HealthSample(3, 1, 1000, 0);
        var sent = new CampaignAgentRecord("cmp-1", "gw-2", 1, "soaking", null, "installed", "2.0.0", 4096, sample, sample with { PollErrors = 2 }, Now, Now.AddMinutes(5), null, Now.AddMinutes(1));
        await Rollouts.AddCampaignAsync(Campaign("cmp-1", "t1"), [AgentRow("cmp-1", "gw-1", 0), sent], None);

        var stored = await Rollouts.GetCampaignAsync("t1", "cmp-1", None);
        Assert.Equal(["site=berlin", "line-3"], stored!.TargetLabels);
        Assert.Equal([10, 50, 100], stored.Stages);
        Assert.Equal(Campaign("cmp-1", "t1") with { TargetLabels = stored.TargetLabels, Stages = stored.Stages }, stored);
        Assert.Null(await Rollouts.GetCampaignAsync("t2", "cmp-1", None));
        Assert.Empty(await Rollouts.ListCampaignsAsync("t2", None));
        Assert.Equal([AgentRow("cmp-1", "gw-1", 0), sent], await Rollouts.ListCampaignAgentsAsync("cmp-1", None));
    }

    [Fact]
    public async Task CampaignStep_RacedByReplicas_ExactlyOnePromotes()
    {
        await Rollouts.AddCampaignAsync(Campaign("cmp-1", "t1"), [AgentRow("cmp-1", "gw-1", 0)], None);
        await Rollouts.AddCampaignAsync(Campaign("cmp-2", "t2") with { CreatedAt = Now.AddMinutes(1) }, [AgentRow("cmp-2", "gw-1", 0)], None);

        var promotions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Rollouts.UpdateCampaignAsync("cmp-1", "running", 0, "running", 1, 0, null, None)));

        Assert.Single(promotions, p => p);
        Assert.False(await Rollouts.UpdateCampaignAsync("cmp-1", "running", 0, "paused", 0, 0, "late pause", None));
        Assert.True(await Rollouts.UpdateCampaignAsync("cmp-1", "running", 1, "paused", 1, 2, "stage 1: 2 of 4 failed", None));
        var paused = await Rollouts.GetCampaignAsync("t1", "cmp-1", None);
        Assert.Equal(("paused", 1, 2, "stage 1: 2 of 4 failed", 2L), (paused!.State, paused.CurrentStage, paused.AcceptedFailures, paused.Detail, paused.Revision));
        Assert.Equal(["cmp-2"], (await Rollouts.ListCampaignsInStateAsync("running", None)).Select(c => c.Id));
        Assert.Equal(["cmp-1", "cmp-2"], (await Rollouts.ListActiveAssignmentsAsync("gw-1", None)).Select(a => a.CampaignId));

        Assert.True(await Rollouts.UpdateCampaignAsync("cmp-1", "paused", 1, "aborted", 1, 2, "aborted by u1", None));
        Assert.Equal(["cmp-2"], (await Rollouts.ListActiveAssignmentsAsync("gw-1", None)).Select(a => a.CampaignId));
    }

    [Fact]
    public async Task AgentStep_RacedByReplicas_ExactlyOneMovesItAndRaisesTheRevision()
    {
        await Rollouts.AddCampaignAsync(Campaign("cmp-1", "t1"), [AgentRow("cmp-1", "gw-1", 0)], None);
        var sent = AgentRow("cmp-1", "gw-1", 0) with { State = "sent", SentAt = Now, Baseline = new HealthSample(1, 2, 3, 4) };

        var moves = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Rollouts.UpdateCampaignAgentAsync(sent, "pending", None)));

        Assert.Single(moves, m => m);
        Assert.Equal(1, (await Rollouts.GetCampaignAsync("t1", "cmp-1", None))!.Revision);
        Assert.False(await Rollouts.UpdateCampaignAgentAsync(sent with { State = "failed" }, "pending", None));
        Assert.False(await Rollouts.UpdateCampaignAgentAsync(AgentRow("cmp-1", "gw-other", 0), null, None));
        var progress = sent with { State = "downloading", BytesDone = 512, Detail = "chunk 1/4", ReportedAt = Now.AddSeconds(5) };
        Assert.True(await Rollouts.UpdateCampaignAgentAsync(progress, null, None));
        Assert.Equal([progress], await Rollouts.ListCampaignAgentsAsync("cmp-1", None));
        Assert.Equal(2, (await Rollouts.GetCampaignAsync("t1", "cmp-1", None))!.Revision);
    }

    private static CampaignRecord Campaign(string id, string tenant) => new(
        id, tenant, "vib 2.0", "art-1", ["site=berlin", "line-3"], null, [10, 50, 100], 300, 0.25, 120, false, 0.01, 50, "running", 0, 0, null, 0, "u1", Now, ReportTimeoutSeconds: 600);

    private static CampaignAgentRecord AgentRow(string campaign, string agent, int stage) =>
        new(campaign, agent, stage, "pending", null, null, null, 0, null, null, null, null, null);
}
