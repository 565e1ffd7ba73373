namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>Descriptive statistics of the values analysed; <c>stddev</c> is null for a single value.</summary>
internal sealed record StatsView(int Count, double Mean, double? Stddev, double Min, double Max, double P50, double P90, double P95, double P99);
