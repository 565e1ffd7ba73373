using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Edge.Models.Loading;

/// <summary>
/// Loads one model completely before anyone sees it: parses the manifest, checks its tags against
/// the site, creates the session from the file's bytes (read once, so a later write cannot change
/// what was validated), checks the session's metadata against the manifest and makes one trial run
/// on zeros. Anything wrong throws <see cref="ModelLoadException"/> naming the file and field.
/// </summary>
internal sealed class ModelLoader : IDisposable
{
    private readonly SiteTagCatalog _catalog;
    private readonly ModelsOptions _options;
    // Made at the first load, not at start: creating SessionOptions loads ONNX Runtime's native
    // library (11 MiB resident) and initializes it, which an agent without models never needs.
    private readonly Lazy<SessionOptions> _sessionOptions;

    public ModelLoader(SiteTagCatalog catalog, ModelsOptions options)
    {
        _catalog = catalog;
        _options = options;
        _sessionOptions = new(() => new SessionOptions
        {
            // Small models on a shared gateway: one thread per run, no inter-op pool.
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        });
    }

    /// <summary>The two files of model <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static (string Onnx, string Manifest) PathsOf(string folder, string name) =>
        (Path.Combine(folder, name + ".onnx"), Path.Combine(folder, name + ModelManifest.FileSuffix));

    public ModelSession Load(string folder, string name, string fingerprint = "")
    {
        var errors = new List<ConfigError>();
        var (onnxPath, manifestPath) = PathsOf(folder, name);
        var manifest = ConfigLoader.TryLoadModelManifest(manifestPath, errors);
        if (manifest is not null)
        {
            CheckTags(manifest, errors);
        }

        byte[]? bytes = null;
        try
        {
            bytes = File.ReadAllBytes(onnxPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(onnxPath, "$", ex is FileNotFoundException ? "is missing: put name.onnx beside name.model.json" : $"cannot be read: {ex.Message}"));
        }

        if (manifest is null || bytes is null || errors.Count > 0)
        {
            throw new ModelLoadException(name, errors);
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, _sessionOptions.Value);
        }
        catch (OnnxRuntimeException ex)
        {
            errors.Add(new ConfigError(onnxPath, "$", "is not a loadable ONNX model: " + ex.Message));
            throw new ModelLoadException(name, errors);
        }

        var signature = OnnxSignatureCheck.Check(session, manifest, errors);
        if (signature is null)
        {
            session.Dispose();
            throw new ModelLoadException(name, errors);
        }

        var model = new ModelSession(manifest, session, signature, _options.MaxBatch, fingerprint);
        try
        {
            // Metadata can agree while the graph still cannot run (a Reshape to the wrong size):
            // better to find out here than on the first real sample.
            model.Run(new float[model.InputLength], 1, model.Results);
            return model;
        }
        catch (OnnxRuntimeException ex)
        {
            model.Dispose();
            errors.Add(new ConfigError(onnxPath, "$", "a trial run on zeros failed: " + ex.Message));
            throw new ModelLoadException(name, errors);
        }
    }

    public void Dispose()
    {
        if (_sessionOptions.IsValueCreated)
        {
            _sessionOptions.Value.Dispose();
        }
    }

    private void CheckTags(ModelManifest manifest, List<ConfigError> errors)
    {
        for (var i = 0; i < manifest.Inputs.Count; i++)
        {
            var features = manifest.Inputs[i].Features;
            for (var f = 0; f < features.Count; f++)
            {
                if (_catalog.CheckInput(features[f].Device, features[f].Tag) is { } problem)
                {
                    errors.Add(new ConfigError(manifest.SourcePath, $"$.inputs[{i}].features[{f}].tag", problem));
                }
            }
        }

        for (var i = 0; i < manifest.Outputs.Count; i++)
        {
            if (_catalog.CheckOutput(manifest.Outputs[i].Device) is { } problem)
            {
                errors.Add(new ConfigError(manifest.SourcePath, $"$.outputs[{i}].tag", problem));
            }
        }
    }
}
