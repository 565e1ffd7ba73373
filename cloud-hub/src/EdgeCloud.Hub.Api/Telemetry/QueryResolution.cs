namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// The <c>resolution</c> a client asks for: raw points, a rollup level, or <see cref="Auto"/>, which picks
/// raw for a range of up to <see cref="QueryResolutions.AutoRawRange"/>, else 1-minute buckets when the range holds no more
/// of them than the page limit, else 1-hour buckets.
/// </summary>
internal enum QueryResolution
{
    Raw = 0,
    Auto = 1,
    OneMinute = 2,
    OneHour = 3,
}
