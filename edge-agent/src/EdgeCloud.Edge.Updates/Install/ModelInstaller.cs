using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Files;
using EdgeCloud.Edge.Updates.Artifacts;

namespace EdgeCloud.Edge.Updates.Install;

/// <summary>
/// Deploys a model package (tar.gz with exactly <c>name.onnx</c> and <c>name.model.json</c>) through the models
/// folder's own hot swap: each file replaced atomically (temp, fsync, rename; the manifest last, so the watcher
/// sees the pair complete), then the models component's verdict awaited. A refused model gets its previous
/// files back (the running version never stopped), reported as model_invalid.
/// </summary>
internal sealed class ModelInstaller(string modelsFolder, IModelLoadVerdicts? verdicts)
{
    /// <summary>How long the models component may take to settle and load the files.</summary>
    public TimeSpan VerdictTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Installs and returns a detail line for the report.</summary>
    public async Task<string> InstallAsync(string package, string name, string work, CancellationToken cancellationToken)
    {
        var unpacked = Path.Combine(work, "unpacked");
        if (Directory.Exists(unpacked))
        {
            Directory.Delete(unpacked, recursive: true);
        }

        TarPackage.ExtractTo(package, unpacked);
        var onnx = name + ".onnx";
        var manifest = name + ModelManifest.FileSuffix;
        var files = Directory.EnumerateFileSystemEntries(unpacked).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (files.Count != 2 || !files.Contains(onnx) || !files.Contains(manifest))
        {
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"a package of model '{name}' holds exactly {onnx} and {manifest}; this one holds {string.Join(", ", files)}");
        }

        var errors = new List<ConfigError>();
        var target = Path.Combine(modelsFolder, manifest);
        if (ConfigLoader.TryParseModelManifest(target, File.ReadAllText(Path.Combine(unpacked, manifest)), errors) is null || errors.Count > 0)
        {
            throw new RolloutRefusedException(RolloutReasons.ModelInvalid, "the manifest is refused: " + string.Join("; ", errors));
        }

        Directory.CreateDirectory(modelsFolder);
        var backup = Path.Combine(work, "previous");
        var hadPrevious = Backup(name, backup);
        Replace(Path.Combine(unpacked, onnx), Path.Combine(modelsFolder, onnx));
        Replace(Path.Combine(unpacked, manifest), target);
        if (verdicts is null)
        {
            return $"placed in {modelsFolder}; the running agent loads it";
        }

        var (loaded, refused) = await verdicts.WaitAsync(name, VerdictTimeout, cancellationToken);
        if (loaded)
        {
            return $"loaded from {modelsFolder}";
        }

        if (refused is null)
        {
            return $"placed in {modelsFolder}; the models component did not answer within {VerdictTimeout.TotalSeconds:0} s";
        }

        Restore(name, backup, hadPrevious);
        throw new RolloutRefusedException(RolloutReasons.ModelInvalid, $"the models component refused it ({refused}); " + (hadPrevious ? "the previous version runs and its files are back" : "it was removed again"));
    }

    private bool Backup(string name, string backup)
    {
        Directory.CreateDirectory(backup);
        var present = false;
        foreach (var file in new[] { name + ".onnx", name + ModelManifest.FileSuffix })
        {
            var source = Path.Combine(modelsFolder, file);
            var copy = Path.Combine(backup, file);
            File.Delete(copy);
            if (File.Exists(source))
            {
                Replace(source, copy);
                present = true;
            }
        }

        return present;
    }

    private void Restore(string name, string backup, bool hadPrevious)
    {
        // The manifest goes first when removing (the watcher unloads on a missing manifest) and last when restoring.
        foreach (var file in new[] { name + ModelManifest.FileSuffix, name + ".onnx" })
        {
            File.Delete(Path.Combine(modelsFolder, file));
        }

        if (hadPrevious)
        {
            foreach (var file in new[] { name + ".onnx", name + ModelManifest.FileSuffix })
            {
                var copy = Path.Combine(backup, file);
                if (File.Exists(copy))
                {
                    Replace(copy, Path.Combine(modelsFolder, file));
                }
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> over <paramref name="target"/> atomically and durably.</summary>
    private static void Replace(string source, string target) =>
        DurableFile.Write(target, stream =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(stream);
        });
}
