namespace EdgeCloud.Edge.Configuration;

/// <summary>One tag feeding a model input, and how its values are normalized first.</summary>
/// <param name="Device">The tag's device.</param>
/// <param name="Tag">The tag's name.</param>
/// <param name="Normalization">Applied to every value before it enters the tensor.</param>
public sealed record ModelFeature(string Device, string Tag, ModelNormalization Normalization)
{
    /// <summary>The tag's address, <c>device/tag</c>.</summary>
    public string Address => string.Concat(Device, "/", Tag);
}
