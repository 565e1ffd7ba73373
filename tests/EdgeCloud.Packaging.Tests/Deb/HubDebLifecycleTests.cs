using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>
/// The cloud-hub package built like the agent's (the MSBuild Deb target: self-contained linux-x64 publish
/// wrapped by build-deb.sh), then installed, removed and purged by the real dpkg in a <see cref="ThrowawayRoot"/>.
/// Needs root (chown to the service user), as CI runs.
/// </summary>
public sealed class HubDebLifecycleTests : IDisposable
{
    private const string Version = "0.1.0";
    private const string WantsLink = "/etc/systemd/system/multi-user.target.wants/cloud-hub.service";
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecloud-hub-deb-").FullName;

    [Fact]
    public async Task Dpkg_InstallRemovePurge_BinaryUnitUserAndDataAtEachStep()
    {
        var deb = await BuildAsync();
        var contents = (await ProcessRunner.RunCheckedAsync("dpkg-deb", "--contents", deb)).StandardOutput;
        Assert.Contains($"./usr/lib/cloud-hub/{Version}/cloud-hub", contents, StringComparison.Ordinal);
        Assert.Contains("./lib/systemd/system/cloud-hub.service", contents, StringComparison.Ordinal);
        Assert.DoesNotContain("EdgeCloud.Hub.Server.xml", contents, StringComparison.Ordinal);

        var root = ThrowawayRoot.Create(Directory.CreateDirectory(Path.Combine(_dir, "root")).FullName);
        await root.DpkgAsync("-i", deb);
        Assert.Equal($"install ok installed {Version}", await root.PackageStatusAsync("cloud-hub"));
        var user = root.PasswdLine("cloud-hub")!.Split(':');
        Assert.Equal("/var/lib/cloud-hub", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.Equal(user[2], (await ProcessRunner.RunCheckedAsync("stat", "-c", "%u", root["/var/lib/cloud-hub"])).StandardOutput.Trim());
        Assert.Equal("/lib/systemd/system/cloud-hub.service", new FileInfo(root[WantsLink]).LinkTarget);
        Assert.Equal(Version, new FileInfo(root["/usr/lib/cloud-hub/current"]).LinkTarget);
        Assert.True(File.Exists(root["/usr/bin/cloud-hub"]), "/usr/bin/cloud-hub does not lead to the binary");
        Assert.DoesNotContain(root.GroupLine("dialout")!.Split(':')[3].Split(','), m => m == "cloud-hub");

        await File.WriteAllTextAsync(root["/var/lib/cloud-hub/hub.marker"], "data");
        await root.DpkgAsync("--remove", "cloud-hub");
        Assert.StartsWith("deinstall ok config-files", await root.PackageStatusAsync("cloud-hub"), StringComparison.Ordinal);
        Assert.False(File.Exists(root["/usr/bin/cloud-hub"]));
        Assert.True(File.Exists(root["/var/lib/cloud-hub/hub.marker"]));

        await root.DpkgAsync("--purge", "cloud-hub");
        Assert.Null(await root.PackageStatusAsync("cloud-hub"));
        Assert.False(Directory.Exists(root["/var/lib/cloud-hub"]));
        Assert.Null(root.PasswdLine("cloud-hub"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> BuildAsync()
    {
        await DebBuild.RunAsync("cloud-hub", "linux-x64", Version, _dir, TimeSpan.FromMinutes(8));
        Directory.Delete(Path.Combine(_dir, "publish"), recursive: true);
        return Path.Combine(_dir, "packages", $"cloud-hub_{Version}_amd64.deb");
    }
}
