using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Download;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Slots;

/// <summary>
/// A/B agent rollouts with real processes: the real launcher, the real edge-agent (packaged and in a slot), a
/// supervisor restarting it as systemd would, kill -9 at each step. The invariant checked at every stop: the
/// agent runs exactly the old build or the new one, and the state file names the one that runs.
/// </summary>
[Collection(AgentProcesses.Name)]
public sealed class AgentRolloutTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AgentBuild_KilledAtDownloadSwitchFirstStartAndCommit_EndsOnTheNewBuildCommitted()
    {
        await using var site = await RolloutSite.StartAsync();
        // A real edge-agent build in the slot (a wrapper that runs this repository's build), padded so that the
        // download takes a few seconds and can be interrupted.
        var package = Packages.AgentBuildPadded("99.0.0", 400_000);
        var directive = site.Offer(package, "agent", "edge-agent", "99.0.0", chunkSize: 16384, healthWindow: 30, pieceDelay: TimeSpan.FromMilliseconds(60));
        await using var unit = new UnitSupervisor(site.Config, site.Slots, site.Packaged);
        var work = Path.Combine(site.Data, "updates", "work");

        // 1. Download: killed once some chunks are verified. The old build runs again and resumes with Range.
        await Eventually.HoldsAsync(() => DownloadRecord.Read(work) is { Chunks: >= 4 }, Limit, () => site.Describe(unit));
        unit.Kill9();
        Assert.Null(site.State);
        await Eventually.HoldsAsync(() => site.Hub.Script.Requests.Any(r => r.EndsWith('-') && !r.EndsWith("bytes=0-", StringComparison.Ordinal)), Limit, () => site.Describe(unit));
        Assert.Equal("packaged", unit.RunningBuild() ?? "packaged");

        // 2. Switch: killed as soon as the state names the new slot (the agent may have exited by itself already).
        await Eventually.HoldsAsync(() => site.State is { Trial: true }, Limit, () => site.Describe(unit));
        unit.Kill9();
        Assert.Equal(("a", "99.0.0", "packaged", RolloutSite.PackagedVersion), (site.State!.Active, site.State.ActiveVersion, site.State.Previous, site.State.PreviousVersion));

        // 3. First start of the new build: killed once it reported "switched". The launcher counts the starts.
        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Any(p => p.State == "switched" && p.RunningVersion == "99.0.0"), Limit, () => site.Describe(unit));
        Assert.Equal("a", unit.RunningBuild());
        unit.Kill9();

        // 4. The next trial start reaches the hub (no devices: the link is the gate) and commits.
        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Any(p => p.State == "succeeded"), Limit, () => site.Describe(unit));
        var succeeded = site.Hub.Script.For("c1").Last(p => p.State == "succeeded");
        Assert.Equal("99.0.0", succeeded.RunningVersion);
        Assert.False(site.State!.Trial);
        Assert.InRange(site.Hub.Script.Requests.Count, 2, 3);

        // 5. Killed after the commit: the new build stays.
        unit.Kill9();
        await Eventually.HoldsAsync(() => unit.RunningBuild() == "a" && unit.Starts >= 5, Limit, () => site.Describe(unit));
        Assert.Equal(("a", false), (site.State!.Active, site.State.Trial));
        Assert.DoesNotContain(site.Hub.Script.For("c1"), p => p.State is "failed" or "rolled_back");
        _ = directive;
    }

    [Fact]
    public async Task AgentBuild_CrashesAtEveryStart_LauncherSwitchesBackAndOldBuildReportsCrashLoop()
    {
        await using var site = await RolloutSite.StartAsync();
        site.Offer(Packages.AgentBuild("99.0.0", exitCode: 1), "agent", "edge-agent", "99.0.0");
        await using var unit = new UnitSupervisor(site.Config, site.Slots, site.Packaged, trialStarts: 3);

        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Any(p => p.State == "rolled_back"), Limit, () => site.Describe(unit));

        var rolledBack = site.Hub.Script.For("c1").Last(p => p.State == "rolled_back");
        Assert.Equal((RolloutReasons.CrashLoop, RolloutSite.PackagedVersion), (rolledBack.Reason, rolledBack.RunningVersion));
        Assert.Equal(3, unit.Output.Count(l => l.Contains("stand-in edge-agent 99.0.0 starting", StringComparison.Ordinal)));
        Assert.Equal(("packaged", false, "a"), (site.State!.Active, site.State.Trial, site.State.Previous));
        Assert.Equal("packaged", unit.RunningBuild());

        // The hub sends the directive again on every session: the agent answers with the rollback, never reinstalls it.
        unit.Kill9();
        await Eventually.HoldsAsync(() => unit.RunningBuild() == "packaged" && site.Hub.Script.For("c1").Count(p => p.State == "rolled_back") >= 2, Limit, () => site.Describe(unit));
        Assert.Equal(3, unit.Output.Count(l => l.Contains("stand-in edge-agent 99.0.0 starting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AgentBuild_NeverReachesTheHub_HealthWindowExpiresAndOldBuildReportsIt()
    {
        await using var site = await RolloutSite.StartAsync();
        // The new build is the real agent, but configured for a hub address where nothing listens.
        var deadHub = site.WriteConfig("dead-hub.json", new Uri("http://127.0.0.1:9"));
        site.Offer(Packages.AgentBuild("99.0.0", exitCode: null, configOverride: deadHub), "agent", "edge-agent", "99.0.0", healthWindow: 4);
        await using var unit = new UnitSupervisor(site.Config, site.Slots, site.Packaged);

        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Any(p => p.State == "rolled_back"), Limit, () => site.Describe(unit));

        var rolledBack = site.Hub.Script.For("c1").Last(p => p.State == "rolled_back");
        Assert.Equal((RolloutReasons.HealthWindowExpired, RolloutSite.PackagedVersion), (rolledBack.Reason, rolledBack.RunningVersion));
        Assert.Contains(75, unit.Exits);
        Assert.Equal(("packaged", false), (site.State!.Active, site.State.Trial));
        Assert.Equal("packaged", unit.RunningBuild());
    }
}

/// <summary>Agent process tests run one at a time: each starts several agents on 2 shared cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentProcesses
{
    public const string Name = "agent processes";
}
