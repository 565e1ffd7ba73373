using EdgeCloud.Hub.Storage.Rollups;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>Parsing, naming and picking of <see cref="QueryResolution"/>.</summary>
internal static class QueryResolutions
{
    public const string Allowed = "auto, raw, 1m, 1h";

    /// <summary>The longest range <see cref="QueryResolution.Auto"/> answers with raw points.</summary>
    public static readonly TimeSpan AutoRawRange = TimeSpan.FromHours(2);

    public static bool TryParse(string text, out QueryResolution resolution)
    {
        (var ok, resolution) = text switch
        {
            "raw" => (true, QueryResolution.Raw),
            "auto" => (true, QueryResolution.Auto),
            "1m" => (true, QueryResolution.OneMinute),
            "1h" => (true, QueryResolution.OneHour),
            _ => (false, QueryResolution.Raw),
        };
        return ok;
    }

    public static string Name(QueryResolution resolution) => resolution switch
    {
        QueryResolution.OneMinute => "1m",
        QueryResolution.OneHour => "1h",
        QueryResolution.Auto => "auto",
        _ => "raw",
    };

    /// <summary>The concrete resolution for a range and limit (never <see cref="QueryResolution.Auto"/>).</summary>
    public static QueryResolution Pick(QueryResolution asked, long fromUnixNano, long toUnixNano, int limit)
    {
        if (asked != QueryResolution.Auto)
        {
            return asked;
        }

        var span = (decimal)toUnixNano - fromUnixNano;
        if (span <= AutoRawRange.Ticks * 100m)
        {
            return QueryResolution.Raw;
        }

        return span / BatchRollup.Width(RollupResolution.OneMinute) <= limit ? QueryResolution.OneMinute : QueryResolution.OneHour;
    }

    /// <summary>The store's rollup level for a concrete resolution; null for raw.</summary>
    public static RollupResolution? Rollup(QueryResolution resolution) => resolution switch
    {
        QueryResolution.OneMinute => RollupResolution.OneMinute,
        QueryResolution.OneHour => RollupResolution.OneHour,
        _ => null,
    };
}
