namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// Maps a tag value into the model's units: <c>(value - Offset) / Divisor</c>. A z-score has
/// Offset = mean, Divisor = std; a min-max scaling has Offset = min, Divisor = max - min. The
/// divisor is always positive and finite.
/// </summary>
/// <param name="Kind">How it was written in the manifest.</param>
/// <param name="Offset">Subtracted first.</param>
/// <param name="Divisor">Then divided by.</param>
public sealed record ModelNormalization(ModelNormalizationKind Kind, double Offset, double Divisor)
{
    /// <summary>Values pass unchanged.</summary>
    public static ModelNormalization None { get; } = new(ModelNormalizationKind.None, 0, 1);

    /// <summary>The normalized value of the distribution's centre: 0 for a z-score, 0.5 for min-max, 0 when raw.</summary>
    public double Center => Kind == ModelNormalizationKind.MinMax ? 0.5 : 0;

    /// <summary>Normalizes one value.</summary>
    public double Apply(double value) => (value - Offset) / Divisor;
}

/// <summary>The normalizations a manifest can ask for.</summary>
public enum ModelNormalizationKind
{
    /// <summary>Raw values.</summary>
    None = 0,

    /// <summary><c>(v - mean) / std</c>.</summary>
    ZScore,

    /// <summary><c>(v - min) / (max - min)</c>.</summary>
    MinMax,
}
