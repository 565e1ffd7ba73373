namespace EdgeCloud.Edge.Metrics;

/// <summary>One series of an instrument as last aggregated: its labels (sanitized names, text values) and its value.</summary>
/// <param name="Labels">Label name to value.</param>
/// <param name="Value">A counter's total or a gauge's last value.</param>
public sealed record MetricReading(IReadOnlyDictionary<string, string> Labels, double Value);
