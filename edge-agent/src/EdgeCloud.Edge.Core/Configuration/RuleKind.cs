namespace EdgeCloud.Edge.Configuration;

/// <summary>What a rule checks; the config's <c>type</c>.</summary>
public enum RuleKind
{
    /// <summary><c>threshold</c>: above or below a limit, with a deadband.</summary>
    Threshold,

    /// <summary><c>range</c>: outside low..high, with a deadband.</summary>
    Range,

    /// <summary><c>rateOfChange</c>: |change per second| above a limit.</summary>
    RateOfChange,

    /// <summary><c>stale</c>: no new value for a time (agent clock).</summary>
    Stale,

    /// <summary><c>quality</c>: the tag's quality is bad (or not good).</summary>
    Quality,

    /// <summary><c>expression</c>: a condition and/or a derived value over several tags.</summary>
    Expression,

    /// <summary><c>zscore</c>: |value - mean| / stddev of a rolling window above a limit.</summary>
    ZScore,

    /// <summary><c>iqr</c>: outside [Q1 - k·IQR, Q3 + k·IQR] of a rolling window.</summary>
    Iqr,
}
