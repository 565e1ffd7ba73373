using System.Diagnostics;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Slots;

/// <summary>
/// Bad artifacts offered to a real agent process through the hub peer: each is reported with its own reason,
/// nothing is installed (no slot, no state), and after a kill -9 the same build runs and refuses it again.
/// </summary>
[Collection(AgentProcesses.Name)]
public sealed class BadArtifactTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    public enum Defect
    {
        FlippedByte,
        WrongKey,
        OlderVersion,
        LongerThanDeclared,
        Trickle,
    }

    [Theory]
    [InlineData(Defect.FlippedByte, RolloutReasons.ChunkHashMismatch)]
    [InlineData(Defect.WrongKey, RolloutReasons.UnknownKey)]
    [InlineData(Defect.OlderVersion, RolloutReasons.OlderVersion)]
    [InlineData(Defect.LongerThanDeclared, RolloutReasons.SizeMismatch)]
    [InlineData(Defect.Trickle, RolloutReasons.DownloadStalled)]
    public async Task AgentBuild_Defective_RefusedWithItsReasonAndTheOldBuildKeepsRunningAcrossRestarts(Defect defect, string reason)
    {
        await using var site = await RolloutSite.StartAsync();
        var package = Packages.AgentBuild("99.0.0", exitCode: 1);
        var directive = site.Offer(package, "agent", "edge-agent", defect == Defect.OlderVersion ? "0.0.1-old" : "99.0.0", chunkSize: 1024);
        switch (defect)
        {
            case Defect.FlippedByte:
                var flipped = (byte[])package.Clone();
                flipped[flipped.Length / 2] ^= 0x01;
                site.Hub.Script.Artifacts[directive.Artifact] = new ServedArtifact(flipped);
                break;
            case Defect.WrongKey:
                using (var stranger = new ReleaseKey(site.Data, "stranger"))
                {
                    site.Hub.Script.Directive = stranger.Sign(package, "agent", "edge-agent", "99.0.0", 1024, directive.CampaignId, directive.Artifact);
                }

                break;
            case Defect.LongerThanDeclared:
                site.Hub.Script.Artifacts[directive.Artifact] = new ServedArtifact(package) { ExtraBytes = 4096 };
                break;
            case Defect.Trickle:
                site.Hub.Script.Artifacts[directive.Artifact] = new ServedArtifact(package) { Trickle = true };
                break;
        }

        await using var unit = new UnitSupervisor(site.Config, site.Slots, site.Packaged);

        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Any(p => p.State == "failed"), Limit, () => site.Describe(unit));
        var failed = site.Hub.Script.For("c1").First(p => p.State == "failed");
        Assert.Equal((reason, RolloutSite.PackagedVersion), (failed.Reason, failed.RunningVersion));
        AssertNothingInstalled(site);

        // Restarted hard: the same build runs, gets the directive again and refuses it again.
        unit.Kill9();
        await Eventually.HoldsAsync(() => site.Hub.Script.For("c1").Count(p => p.State == "failed") >= 2, Limit, () => site.Describe(unit));
        Assert.Equal("packaged", unit.RunningBuild());
        Assert.All(site.Hub.Script.For("c1").Where(p => p.State == "failed"), p => Assert.Equal(reason, p.Reason));
        AssertNothingInstalled(site);
        Assert.DoesNotContain(unit.Output, l => l.Contains("stand-in edge-agent", StringComparison.Ordinal));
    }

    private static void AssertNothingInstalled(RolloutSite site)
    {
        Assert.Null(site.State);
        Assert.False(Directory.Exists(Path.Combine(site.Slots, "a")) || Directory.Exists(Path.Combine(site.Slots, "b")));
    }
}

/// <summary><c>edge-agent update install</c>, the field installer's path, as a real process.</summary>
[Collection(AgentProcesses.Name)]
public sealed class UpdateInstallCommandTests
{
    [Fact]
    public async Task UpdateInstall_WrongKeyThenRightKey_RefusedWithReasonThenInstalledIntoSlotOnTrial()
    {
        await using var site = await RolloutSite.StartAsync();
        var package = Packages.AgentBuild("99.0.0", exitCode: 1);
        var file = Path.Combine(site.Data, "edge-agent-99.0.0.tar.gz");
        await File.WriteAllBytesAsync(file, package);
        using var stranger = new ReleaseKey(site.Data, "stranger");
        var wrong = Convert.ToBase64String(stranger.SignStatement(stranger.Sign(package, "agent", "edge-agent", "99.0.0")));
        var right = Convert.ToBase64String(site.Key.SignStatement(site.Key.Sign(package, "agent", "edge-agent", "99.0.0")));

        var refused = await RunAsync(site, "--signature", wrong, file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused (bad_signature)", refused.Error, StringComparison.Ordinal);
        Assert.Null(site.State);

        var installed = await RunAsync(site, "--signature", right, file);
        Assert.True(installed.ExitCode == 0, installed.Error);
        Assert.Contains("in slot a, on trial", installed.Output, StringComparison.Ordinal);
        Assert.Equal(("a", "99.0.0", true, RolloutSite.PackagedVersion), (site.State!.Active, site.State.ActiveVersion, site.State.Trial, site.State.PreviousVersion));
        Assert.True(File.Exists(Path.Combine(site.Slots, "a", "edge-agent")));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(RolloutSite site, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { RepoPaths.AgentDll, "update", "install", "--config", site.Config, "--kind", "agent", "--name", "edge-agent", "--version", "99.0.0" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EDGE_AGENT_ALLOW_ROOT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
