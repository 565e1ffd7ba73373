namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// One ONNX input tensor fed from tags: the last <see cref="Window"/> values of each feature, laid
/// out time-major (oldest first; for each instant, the features in manifest order), so that the
/// tensor is <c>[batch, Window * features]</c> or <c>[batch, Window, features]</c>.
/// </summary>
/// <param name="Name">The ONNX input's name.</param>
/// <param name="Window">Values per feature, at least 1. A window holds a tag's values as they arrived (one per poll); it is not resampled in time.</param>
/// <param name="Fill">What stands in for values not seen yet or of bad quality.</param>
/// <param name="Features">The tags, in tensor order; at least one.</param>
public sealed record ModelInputBinding(
    string Name,
    int Window,
    ModelFillPolicy Fill,
    IReadOnlyList<ModelFeature> Features)
{
    /// <summary>Values in one row of this input: <see cref="Window"/> times the number of features.</summary>
    public int Length => Window * Features.Count;
}
