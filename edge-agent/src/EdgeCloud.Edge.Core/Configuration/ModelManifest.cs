namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// A model's manifest (<c>name.model.json</c> beside <c>name.onnx</c>): which tags feed which ONNX
/// inputs, which ONNX outputs become which derived tags, and when the model runs. Validated as a
/// whole by <see cref="ConfigLoader.TryParseModelManifest"/>: inputs and outputs are non-empty,
/// names are unique, exactly one of <see cref="RunInterval"/> and on-change is chosen, and no
/// output tag is also an input tag.
/// </summary>
/// <param name="Name">The model's name: the file name without <c>.model.json</c>.</param>
/// <param name="SourcePath">The manifest file, for messages.</param>
/// <param name="Description">Free text for people, optional.</param>
/// <param name="Inputs">The ONNX inputs the agent feeds, in manifest order.</param>
/// <param name="Outputs">The ONNX output elements published as derived tags.</param>
/// <param name="RunInterval">Run every this long; null when the model runs on every change of an input.</param>
/// <param name="ShadowOf">When set, this model is a candidate beside the named one: it reads the same inputs, its outputs are compared with that model's and never published.</param>
public sealed record ModelManifest(
    string Name,
    string SourcePath,
    string? Description,
    IReadOnlyList<ModelInputBinding> Inputs,
    IReadOnlyList<ModelOutputBinding> Outputs,
    TimeSpan? RunInterval,
    string? ShadowOf)
{
    /// <summary>The manifest's file name suffix.</summary>
    public const string FileSuffix = ".model.json";

    /// <summary>True when the model runs once per change of any input tag instead of on an interval.</summary>
    public bool RunOnChange => RunInterval is null;
}
