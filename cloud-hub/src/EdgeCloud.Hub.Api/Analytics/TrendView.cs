namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// The least-squares trend: slope per second and per hour, the value of the line at <c>from</c>
/// (<see cref="InterceptAtFrom"/>), and R² (null when the values are constant).
/// </summary>
internal sealed record TrendView(double SlopePerSecond, double SlopePerHour, double InterceptAtFrom, double? R2);
