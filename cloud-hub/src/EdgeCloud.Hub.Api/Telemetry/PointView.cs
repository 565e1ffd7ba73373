using System.Text.Json.Serialization;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// One point as JSON: <c>t</c> ISO-8601 UTC with nanoseconds, <c>v</c> a number, integer, boolean or
/// string (null when the point carried none; NaN and infinities as the strings "NaN", "Infinity",
/// "-Infinity"), <c>q</c> the quality name, <c>d</c> the device status detail, omitted when 0.
/// </summary>
internal sealed record PointView(
    string T,
    object? V,
    string Q,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] uint D)
{
    public static PointView From(StoredPoint point) =>
        new(Iso8601.FormatUnixNanos(point.TimeUnixNano), point.Value, QualityNames.Name(point.Quality), point.StatusDetail);
}
