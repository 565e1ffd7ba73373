namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// Analytics of one tag over [from, to) at <see cref="Resolution"/> (raw values, or bucket averages of a
/// rollup at their bucket's middle). <see cref="Truncated"/>: only the first <c>limit</c> values were used.
/// Parts that need more data than there is are null.
/// </summary>
internal sealed record AnalyticsResponse(
    string Agent,
    string Tag,
    string From,
    string To,
    string Resolution,
    bool Truncated,
    StatsView? Stats,
    TrendView? Trend,
    CorrelationView? Correlation,
    ForecastView? Forecast);
