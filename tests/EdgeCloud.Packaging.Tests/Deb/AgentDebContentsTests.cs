using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>What the edge-agent .deb holds: layout, control fields, conffiles, scripts and the unit.</summary>
[Collection(AgentDebCollection.Name)]
public sealed partial class AgentDebContentsTests(AgentDebFixture deb)
{
    [Fact]
    public async Task Contents_Layout_VersionedFolderWithCurrentAndPathSymlinks()
    {
        var listing = (await ProcessRunner.RunCheckedAsync("dpkg-deb", "-c", deb.DebPath)).StandardOutput;
        var entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Regex.Split(line.Trim(), @"\s+", RegexOptions.None, TimeSpan.FromSeconds(1)))
            .ToDictionary(f => string.Join(' ', f[5..]), f => (Mode: f[0], Owner: f[1]));

        Assert.Contains($"./usr/lib/edge-agent/{AgentDebFixture.Version}/edge-agent", entries.Keys);
        Assert.Contains($"./usr/lib/edge-agent/{AgentDebFixture.Version}/edge-agent.dll", entries.Keys);
        Assert.Contains($"./usr/lib/edge-agent/current -> {AgentDebFixture.Version}", entries.Keys);
        Assert.Contains("./usr/bin/edge-agent -> ../lib/edge-agent/current/edge-agent", entries.Keys);
        Assert.Contains("./etc/edge-agent/agent.json", entries.Keys);
        Assert.Contains("./lib/systemd/system/edge-agent.service", entries.Keys);
        Assert.StartsWith("-rwxr-xr-x", entries["./usr/lib/edge-agent/launcher"].Mode, StringComparison.Ordinal);
        Assert.Contains("./usr/share/doc/edge-agent/copyright", entries.Keys);
        Assert.StartsWith("-rwxr-xr-x", entries[$"./usr/lib/edge-agent/{AgentDebFixture.Version}/edge-agent"].Mode, StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r--", entries[$"./usr/lib/edge-agent/{AgentDebFixture.Version}/libSystem.Native.so"].Mode, StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r--", entries[$"./usr/lib/edge-agent/{AgentDebFixture.Version}/edge-agent.dll"].Mode, StringComparison.Ordinal);
        Assert.All(entries.Values, e => Assert.Equal("root/root", e.Owner));
        // The data folder belongs to the service user, so postinst makes it; build leftovers stay out.
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("./var/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Keys, k => k.EndsWith("agent.sample.json", StringComparison.Ordinal) || k.EndsWith("EdgeCloud.Edge.Core.xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lintian_Package_NoErrorOrWarningBeyondTheJustifiedOverrides()
    {
        // Each override in packaging/deb/edge-agent/lintian-overrides carries its reason.
        var result = await ProcessRunner.RunAsync("lintian", ["--fail-on", "error,warning", deb.DebPath], timeout: TimeSpan.FromMinutes(2));

        result.EnsureSuccess();
        Assert.DoesNotMatch(@"(?m)^[EW]: ", result.StandardOutput);
    }

    [Fact]
    public async Task Control_Fields_NameVersionArchAndRealInstalledSize()
    {
        var fields = (await ProcessRunner.RunCheckedAsync("dpkg-deb", "-f", deb.DebPath, "Package", "Version", "Architecture", "Installed-Size", "Depends")).StandardOutput;

        Assert.Contains("Package: edge-agent\n", fields, StringComparison.Ordinal);
        Assert.Contains($"Version: {AgentDebFixture.Version}\n", fields, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64\n", fields, StringComparison.Ordinal);
        Assert.Contains("passwd", fields, StringComparison.Ordinal);
        var size = long.Parse(InstalledSize().Match(fields).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(size, 20_000, 400_000); // KiB: a self-contained .NET app, not an empty shell
    }

    [Fact]
    public void Conffiles_AgentConfig_IsTheOnlyConffileAndComesFromTheSample()
    {
        var conffiles = File.ReadAllLines(Path.Combine(deb.ControlDir, "conffiles"));

        Assert.Equal(["/etc/edge-agent/agent.json"], conffiles);
        var sample = Path.Combine(RepoPaths.Root, "edge-agent", "src", "EdgeCloud.Edge.Agent", "agent.sample.json");
        Assert.Equal(File.ReadAllText(sample), File.ReadAllText(Path.Combine(deb.FilesDir, "etc", "edge-agent", "agent.json")));
    }

    [Theory]
    [InlineData("postinst")]
    [InlineData("prerm")]
    [InlineData("postrm")]
    public async Task MaintainerScript_Shipped_ExecutableStandaloneAndParses(string script)
    {
        var path = Path.Combine(deb.ControlDir, script);

        Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
        var text = await File.ReadAllTextAsync(path);
        Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(Placeholder(), text); // every template placeholder filled
        await ProcessRunner.RunCheckedAsync("sh", "-n", path);
        var unknown = await ProcessRunner.RunAsync(path, ["no-such-action"]);
        Assert.NotEqual(0, unknown.ExitCode);
    }

    [Fact]
    public async Task Unit_SystemdAnalyzeVerify_PassesAgainstThePackagedTree()
    {
        // verify resolves ExecStart (the launcher) and the targets under --root: the package's own tree
        // plus the host's units.
        var root = deb.NewScratchDir("verify");
        await ProcessRunner.RunCheckedAsync("cp", "-a", deb.FilesDir + "/.", root);
        await ProcessRunner.RunCheckedAsync("cp", "-an", "/lib/systemd/system/.", Path.Combine(root, "lib", "systemd", "system"));

        var result = await ProcessRunner.RunAsync("systemd-analyze", ["verify", $"--root={root}", "/lib/systemd/system/edge-agent.service"]);

        result.EnsureSuccess();
        Assert.Equal("", result.StandardError.Trim());
    }

    [Fact]
    public async Task Unit_Directives_NotifyWatchdogRestartPolicyAndSerialDevices()
    {
        var unit = await File.ReadAllLinesAsync(Path.Combine(deb.FilesDir, "lib", "systemd", "system", "edge-agent.service"));
        var directives = unit.Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')).ToList();

        foreach (var expected in new[]
        {
            "Type=notify", "NotifyAccess=main", "WatchdogSec=30", "Restart=on-failure", "RestartPreventExitStatus=78",
            "User=edge-agent", "SupplementaryGroups=dialout", "ProtectSystem=strict", "ReadWritePaths=/var/lib/edge-agent",
            "NoNewPrivileges=yes", "CapabilityBoundingSet=", "PrivateTmp=yes", "ProtectHome=yes", "DevicePolicy=closed",
            "DeviceAllow=char-ttyS rw", "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyACM rw",
            "ExecStart=/usr/lib/edge-agent/launcher run --config /etc/edge-agent/agent.json",
        })
        {
            Assert.Contains(expected, directives);
        }

        Assert.Contains(directives, d => d.StartsWith("StartLimitIntervalSec=", StringComparison.Ordinal));
        Assert.Contains(directives, d => d.StartsWith("StartLimitBurst=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unit_SystemdAnalyzeSecurity_ExposureAtMostTwo()
    {
        // The unit file is read offline; its name must be the service's.
        var dir = deb.NewScratchDir("security");
        var unit = Path.Combine(dir, "edge-agent.service");
        File.Copy(Path.Combine(deb.FilesDir, "lib", "systemd", "system", "edge-agent.service"), unit);

        var result = await ProcessRunner.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", "--threshold=20", unit]);

        result.EnsureSuccess();
        var score = double.Parse(Exposure().Match(result.StandardOutput).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(score, 0.0, 2.0);
    }

    [GeneratedRegex("@[A-Z_]+@")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"Installed-Size: (\d+)")]
    private static partial Regex InstalledSize();

    [GeneratedRegex(@"Overall exposure level for edge-agent\.service: (\d+\.\d)")]
    private static partial Regex Exposure();
}
