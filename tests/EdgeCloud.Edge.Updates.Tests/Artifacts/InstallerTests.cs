using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Install;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Artifacts;

/// <summary>The firmware and model installers with real processes and real files.</summary>
public sealed class InstallerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Script(string name, string body)
    {
        var path = _folder[name];
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private UpdatesConfig WithInstaller(string name, TimeSpan timeout, params string[] command) =>
        UpdatesConfig.Defaults(_folder.Path) with
        {
            FirmwareInstallers = new Dictionary<string, FirmwareInstallerConfig>(StringComparer.Ordinal) { [name] = new(command, timeout) },
        };

    [Fact]
    public async Task Firmware_InstallerSucceeds_GetsArgvWithArtifactLastAndOutputTailReported()
    {
        var flash = Script("flash", "echo \"flashing $2 to port $1\"; cp \"$2\" \"$0.done\"; echo done >&2\n");
        var artifact = _folder["vfd-2.1.bin"];
        await File.WriteAllTextAsync(artifact, "firmware image", CancellationToken.None);

        var detail = await new FirmwareInstaller(WithInstaller("vfd", TimeSpan.FromSeconds(10), flash, "/dev/ttyUSB0 with space")).InstallAsync(artifact, "vfd", CancellationToken.None);

        Assert.Contains("exited with 0", detail, StringComparison.Ordinal);
        Assert.Contains($"flashing {artifact} to port /dev/ttyUSB0 with space", detail, StringComparison.Ordinal);
        Assert.Contains("done", detail, StringComparison.Ordinal);
        Assert.Equal("firmware image", await File.ReadAllTextAsync(flash + ".done", CancellationToken.None));
    }

    [Fact]
    public async Task Firmware_InstallerFails_InstallFailedWithExitCodeAndTail()
    {
        var flash = Script("flash", "echo 'device did not answer after erase'; exit 3\n");

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => new FirmwareInstaller(WithInstaller("vfd", TimeSpan.FromSeconds(10), flash)).InstallAsync(_folder["x.bin"], "vfd", CancellationToken.None));

        Assert.Equal(RolloutReasons.InstallFailed, refused.Reason);
        Assert.Contains("exited with 3", refused.Message, StringComparison.Ordinal);
        Assert.Contains("device did not answer after erase", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firmware_InstallerHangs_KilledAtItsTimeout()
    {
        var flash = Script("flash", "echo 'erasing'; sleep 30\n");

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => new FirmwareInstaller(WithInstaller("vfd", TimeSpan.FromSeconds(1), flash)).InstallAsync(_folder["x.bin"], "vfd", CancellationToken.None));

        Assert.Contains("did not finish within 1 s", refused.Message, StringComparison.Ordinal);
        Assert.Contains("erasing", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firmware_NoInstallerForName_InstallFailedNamingTheConfiguredOnes()
    {
        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => new FirmwareInstaller(WithInstaller("vfd", TimeSpan.FromSeconds(1), "/bin/true")).InstallAsync(_folder["x.bin"], "meter", CancellationToken.None));

        Assert.Contains("no installer for firmware 'meter'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("vfd", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_BadManifest_ModelInvalidAndThePreviousFilesStay()
    {
        var models = _folder["models"];
        Directory.CreateDirectory(models);
        await File.WriteAllTextAsync(Path.Combine(models, "pump.onnx"), "previous onnx", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(models, "pump.model.json"), "{ \"previous\": true }", CancellationToken.None);
        var package = _folder["pump.tar.gz"];
        await File.WriteAllBytesAsync(package, Packages.TarGz(("pump.onnx", "new onnx", UnixFileMode.UserRead), ("pump.model.json", "{ not json", UnixFileMode.UserRead)), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => new ModelInstaller(models, null).InstallAsync(package, "pump", _folder["work"], CancellationToken.None));

        Assert.Equal(RolloutReasons.ModelInvalid, refused.Reason);
        Assert.Equal("previous onnx", await File.ReadAllTextAsync(Path.Combine(models, "pump.onnx"), CancellationToken.None));
    }

    [Fact]
    public async Task Model_RefusedByTheModelsComponent_PreviousFilesRestored()
    {
        var models = _folder["models"];
        Directory.CreateDirectory(models);
        await File.WriteAllTextAsync(Path.Combine(models, "pump.onnx"), "previous onnx", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(models, "pump.model.json"), "{}", CancellationToken.None);
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "models", FirstManifest()), CancellationToken.None);
        var package = _folder["pump.tar.gz"];
        await File.WriteAllBytesAsync(package, Packages.TarGz(("pump.onnx", "not an onnx graph", UnixFileMode.UserRead), ("pump.model.json", manifest, UnixFileMode.UserRead)), CancellationToken.None);

        // The models component's answer for files it cannot load (what the agent's watcher reports for a broken graph).
        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => new ModelInstaller(models, new Refusing()).InstallAsync(package, "pump", _folder["work"], CancellationToken.None));

        Assert.Equal(RolloutReasons.ModelInvalid, refused.Reason);
        Assert.Contains("not a graph", refused.Message, StringComparison.Ordinal);
        Assert.Equal("previous onnx", await File.ReadAllTextAsync(Path.Combine(models, "pump.onnx"), CancellationToken.None));
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(models, "pump.model.json"), CancellationToken.None));
    }

    private static string FirstManifest() =>
        Path.GetFileName(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "models"), "*.model.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());

    /// <summary>Imitates the agent's models watcher refusing the files (the agent's own adapter polls the real watcher).</summary>
    private sealed class Refusing : IModelLoadVerdicts
    {
        public Task<(bool Loaded, string? Errors)> WaitAsync(string name, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult<(bool, string?)>((false, "pump.onnx: not a graph"));
    }
}
