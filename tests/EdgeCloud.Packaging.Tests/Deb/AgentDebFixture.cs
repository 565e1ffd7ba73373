using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>
/// Builds the linux-x64 edge-agent .deb once for every test in the "agent deb" collection, through
/// the same MSBuild target as `-t:Package` (self-contained publish, about 40 s warm), gzip-compressed
/// because xz takes longer than the publish and changes nothing the tests look at. A second package
/// with a bumped version is wrapped from the same publish by build-deb.sh, for the upgrade.
/// </summary>
public sealed class AgentDebFixture : IAsyncLifetime
{
    /// <summary>Version of the first package.</summary>
    public const string Version = "0.1.0";

    /// <summary>Version of the upgrade.</summary>
    public const string UpgradeVersion = "0.1.1";

    private readonly string _root = Directory.CreateTempSubdirectory("edgecloud-deb-").FullName;

    /// <summary>The <see cref="Version"/> package.</summary>
    public string DebPath => Path.Combine(_root, "packages", $"edge-agent_{Version}_amd64.deb");

    /// <summary>The <see cref="UpgradeVersion"/> package.</summary>
    public string UpgradeDebPath => Path.Combine(_root, "packages", $"edge-agent_{UpgradeVersion}_amd64.deb");

    /// <summary>The package's files, unpacked with dpkg-deb -x.</summary>
    public string FilesDir => Path.Combine(_root, "files");

    /// <summary>The package's control area (control, conffiles, scripts), unpacked with dpkg-deb -e.</summary>
    public string ControlDir => Path.Combine(_root, "control");

    /// <summary>A fresh empty folder under the fixture's temp folder, removed with it.</summary>
    public string NewScratchDir(string name) => Directory.CreateDirectory(Path.Combine(_root, "scratch", name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await DebBuild.RunAsync("edge-agent", "linux-x64", Version, _root, TimeSpan.FromMinutes(8));

        var publish = Path.Combine(_root, "publish", "edge-agent", "linux-x64");
        await ProcessRunner.RunCheckedAsync(
            "sh", Path.Combine(RepoPaths.Packaging, "deb", "build-deb.sh"), "edge-agent", UpgradeVersion, "amd64", publish, Path.Combine(_root, "packages"), "gzip");
        Directory.Delete(publish, recursive: true);

        await ProcessRunner.RunCheckedAsync("dpkg-deb", "-x", DebPath, FilesDir);
        await ProcessRunner.RunCheckedAsync("dpkg-deb", "-e", DebPath, ControlDir);
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
