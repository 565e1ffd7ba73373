using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>
/// The edge-agent package installed, upgraded, removed and purged by the real dpkg in a
/// <see cref="ThrowawayRoot"/>, and its maintainer scripts re-run to prove them idempotent.
/// Needs root (chown to the service user), as CI runs.
/// </summary>
[Collection(AgentDebCollection.Name)]
public sealed class AgentDebLifecycleTests(AgentDebFixture deb)
{
    private const string WantsLink = "/etc/systemd/system/multi-user.target.wants/edge-agent.service";

    [Fact]
    public async Task Dpkg_InstallUpgradeRemovePurge_FilesUserAndConffileAtEachStep()
    {
        var root = ThrowawayRoot.Create(deb.NewScratchDir("lifecycle"));

        // Install: service user in its own group and in dialout; data folder owned by it; enabled.
        await root.DpkgAsync("-i", deb.DebPath);
        Assert.Equal($"install ok installed {AgentDebFixture.Version}", await root.PackageStatusAsync("edge-agent"));
        var user = root.PasswdLine("edge-agent")!.Split(':');
        Assert.Equal("/var/lib/edge-agent", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.EndsWith(":edge-agent", root.GroupLine("dialout"), StringComparison.Ordinal);
        var data = new DirectoryInfo(root["/var/lib/edge-agent"]);
        Assert.Equal(user[2], (await Stat(data.FullName, "%u")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, data.UnixFileMode);
        Assert.Equal(user[3], await Stat(root["/etc/edge-agent/agent.json"], "%g"));
        Assert.Equal("640", await Stat(root["/etc/edge-agent/agent.json"], "%a"));
        Assert.Equal("/lib/systemd/system/edge-agent.service", new FileInfo(root[WantsLink]).LinkTarget);
        Assert.True(File.Exists(root["/usr/bin/edge-agent"]), "/usr/bin/edge-agent does not lead to the binary");

        // Local edits the upgrade must keep, and an admin who disabled the service.
        await File.AppendAllTextAsync(root["/etc/edge-agent/agent.json"], "\n// edited on site\n");
        await File.WriteAllTextAsync(root["/var/lib/edge-agent/outbox.marker"], "data");
        File.Delete(root[WantsLink]);

        await root.DpkgAsync("-i", deb.UpgradeDebPath);
        Assert.Equal($"install ok installed {AgentDebFixture.UpgradeVersion}", await root.PackageStatusAsync("edge-agent"));
        Assert.EndsWith("// edited on site\n", await File.ReadAllTextAsync(root["/etc/edge-agent/agent.json"]), StringComparison.Ordinal);
        Assert.Equal(AgentDebFixture.UpgradeVersion, new FileInfo(root["/usr/lib/edge-agent/current"]).LinkTarget);
        Assert.False(Directory.Exists(root[$"/usr/lib/edge-agent/{AgentDebFixture.Version}"]), "the old version's files stayed");
        Assert.True(File.Exists(root["/usr/bin/edge-agent"]));
        Assert.True(File.Exists(root["/var/lib/edge-agent/outbox.marker"]));
        Assert.Single(File.ReadAllLines(root["/etc/passwd"]), l => l.StartsWith("edge-agent:", StringComparison.Ordinal));
        Assert.False(File.Exists(root[WantsLink]), "the upgrade re-enabled a service the admin had disabled");

        // Remove: program gone; config, data and user stay.
        await root.DpkgAsync("--remove", "edge-agent");
        Assert.StartsWith("deinstall ok config-files", await root.PackageStatusAsync("edge-agent"), StringComparison.Ordinal);
        Assert.False(File.Exists(root["/usr/bin/edge-agent"]));
        Assert.False(Directory.Exists(root["/usr/lib/edge-agent"]));
        Assert.True(File.Exists(root["/etc/edge-agent/agent.json"]));
        Assert.True(File.Exists(root["/var/lib/edge-agent/outbox.marker"]));
        Assert.NotNull(root.PasswdLine("edge-agent"));

        // Purge: nothing of the package is left, not even its user.
        await root.DpkgAsync("--purge", "edge-agent");
        Assert.Null(await root.PackageStatusAsync("edge-agent"));
        Assert.False(Directory.Exists(root["/etc/edge-agent"]));
        Assert.False(Directory.Exists(root["/var/lib/edge-agent"]));
        Assert.Null(root.PasswdLine("edge-agent"));
        Assert.Null(root.GroupLine("edge-agent"));
        Assert.Equal("dialout:x:20:", root.GroupLine("dialout"));
    }

    [Fact]
    public async Task MaintainerScripts_RunTwice_SecondRunChangesNothing()
    {
        var root = ThrowawayRoot.Create(deb.NewScratchDir("idempotent"));
        await root.DpkgAsync("-i", deb.DebPath);
        var env = new Dictionary<string, string?> { ["DPKG_ROOT"] = root.Path };
        var postinst = Path.Combine(deb.ControlDir, "postinst");
        var postrm = Path.Combine(deb.ControlDir, "postrm");
        var passwd = await File.ReadAllTextAsync(root["/etc/passwd"]);
        var group = await File.ReadAllTextAsync(root["/etc/group"]);

        // configure again, as dpkg does after a failed configure or on dpkg-reconfigure.
        (await ProcessRunner.RunAsync(postinst, ["configure", AgentDebFixture.Version], env)).EnsureSuccess();
        (await ProcessRunner.RunAsync(postinst, ["configure", AgentDebFixture.Version], env)).EnsureSuccess();
        Assert.Equal(passwd, await File.ReadAllTextAsync(root["/etc/passwd"]));
        Assert.Equal(group, await File.ReadAllTextAsync(root["/etc/group"]));

        // purge twice: the second finds nothing to do and still succeeds.
        (await ProcessRunner.RunAsync(postrm, ["purge"], env)).EnsureSuccess();
        (await ProcessRunner.RunAsync(postrm, ["purge"], env)).EnsureSuccess();
        Assert.Null(root.PasswdLine("edge-agent"));
        Assert.False(Directory.Exists(root["/var/lib/edge-agent"]));

        // And a fresh configure after that brings the user and the data folder back.
        (await ProcessRunner.RunAsync(postinst, ["configure", ""], env)).EnsureSuccess();
        Assert.NotNull(root.PasswdLine("edge-agent"));
        Assert.True(Directory.Exists(root["/var/lib/edge-agent"]));
        Assert.True(File.Exists(root[WantsLink]));
    }

    private static async Task<string> Stat(string path, string format) =>
        (await ProcessRunner.RunCheckedAsync("stat", "-c", format, path)).StandardOutput.Trim();
}
