namespace EdgeCloud.Edge.Rules.Expressions;

/// <summary>Aggregates over a tag's samples in a time window: <c>avg(device/tag, 60s)</c>.</summary>
public enum WindowFunction
{
    /// <summary>Arithmetic mean.</summary>
    Avg,

    /// <summary>Smallest sample.</summary>
    Min,

    /// <summary>Largest sample.</summary>
    Max,

    /// <summary>Population standard deviation.</summary>
    StdDev,
}
