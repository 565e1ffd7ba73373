namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// The answer to a telemetry query: the bounds actually used (defaults filled in, ISO-8601 UTC), the
/// points ordered by time, and <see cref="Truncated"/> when the limit cut off later points in the range
/// (ask again with <c>from</c> just after the last <c>t</c>).
/// </summary>
internal sealed record TelemetryResponse(string Agent, string Tag, string From, string To, bool Truncated, IReadOnlyList<PointView> Points);
