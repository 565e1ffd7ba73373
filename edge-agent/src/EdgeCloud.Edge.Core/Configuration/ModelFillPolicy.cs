namespace EdgeCloud.Edge.Configuration;

/// <summary>What a model input does with a window that is not full yet or a point of bad quality.</summary>
public enum ModelFillPolicy
{
    /// <summary>The model does not run until every window is full and each tag's latest point is good.</summary>
    Wait = 0,

    /// <summary>Bad points are ignored (the last good value carries on); a window not full yet is padded with its oldest value.</summary>
    Hold,

    /// <summary>Bad points and missing values count as the normalization's centre (the mean; the middle of min..max).</summary>
    Mean,
}
