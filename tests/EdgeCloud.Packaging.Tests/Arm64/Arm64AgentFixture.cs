using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Arm64;

/// <summary>
/// The linux-arm64 edge-agent .deb, built once through the same MSBuild target as the x64 one and
/// unpacked, plus what runs it here: qemu user mode (Debian's qemu-user-static) and an arm64
/// sysroot of the shared libraries .NET loads, made by packaging/qemu/arm64-sysroot.sh (.ci/run
/// prepares it in <see cref="DefaultSysroot"/>; EDGECLOUD_ARM64_SYSROOT overrides the place).
/// </summary>
public sealed class Arm64AgentFixture : IAsyncLifetime
{
    /// <summary>Where .ci/run leaves the sysroot.</summary>
    public const string DefaultSysroot = "/var/cache/edgecloud/arm64-sysroot";

    private const string Version = "0.1.0";
    private readonly string _root = Directory.CreateTempSubdirectory("edgecloud-arm64-").FullName;

    /// <summary>The arm64 sysroot passed to qemu with -L.</summary>
    public string Sysroot { get; } = Environment.GetEnvironmentVariable("EDGECLOUD_ARM64_SYSROOT") ?? DefaultSysroot;

    /// <summary>The arm64 edge-agent executable as the package installs it.</summary>
    public string AgentExecutable => Path.Combine(_root, "files", "usr", "lib", "edge-agent", Version, "edge-agent");

    /// <summary>A fresh folder under the fixture's temp folder.</summary>
    public string NewScratchDir(string name) => Directory.CreateDirectory(Path.Combine(_root, "scratch", name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>Runs the arm64 agent under qemu with <paramref name="arguments"/>.</summary>
    public Task<ProcessResult> RunAgentAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("qemu-aarch64-static", ["-L", Sysroot, AgentExecutable, .. arguments], timeout: TimeSpan.FromMinutes(2));

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/qemu-aarch64-static"), "qemu-aarch64-static is missing: apt-get install qemu-user-static (.ci/run does)");
        Assert.True(
            File.Exists(Path.Combine(Sysroot, ".complete")),
            $"no arm64 sysroot in {Sysroot}: run packaging/qemu/arm64-sysroot.sh {Sysroot} (.ci/run does)");

        await DebBuild.RunAsync("edge-agent", "linux-arm64", Version, _root, TimeSpan.FromMinutes(8));
        Directory.Delete(Path.Combine(_root, "publish"), recursive: true);
        await ProcessRunner.RunCheckedAsync("dpkg-deb", "-x", Path.Combine(_root, "packages", $"edge-agent_{Version}_arm64.deb"), Path.Combine(_root, "files"));
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
