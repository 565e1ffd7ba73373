using System.Globalization;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// A validated telemetry query: one tag of one agent, <see cref="FromUnixNano"/> inclusive to
/// <see cref="ToUnixNano"/> exclusive, at most <see cref="Limit"/> points or buckets, at <see cref="Resolution"/>
/// (default raw). Parse checks every parameter and reports all that are wrong at once, each
/// message naming its parameter (see Parse). A range may span at most <see cref="MaxRange"/>.
/// </summary>
internal sealed record TelemetryQuery(string Agent, string Tag, long FromUnixNano, long ToUnixNano, int Limit, QueryResolution Resolution = QueryResolution.Raw)
{
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 100_000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>The longest range any query may span: ten years (3653 days).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3653);

    /// <summary>The resolution actually served (auto resolved by range and limit).</summary>
    public QueryResolution Effective => QueryResolutions.Pick(Resolution, FromUnixNano, ToUnixNano, Limit);

    private const string TimeExample = "an ISO-8601 time such as 2025-01-31T12:00:00Z or 2025-01-31T13:00:00.123456789+01:00";

    /// <summary>Returns the query, or null with <paramref name="errors"/> filled (parameter name to reason).</summary>
    public static TelemetryQuery? Parse(IQueryCollection query, DateTimeOffset now, out Dictionary<string, string> errors) =>
        Parse(query, now, DefaultLimit, MaxLimit, out errors);

    /// <summary>As <see cref="Parse(IQueryCollection, DateTimeOffset, out Dictionary{string, string})"/> with another page size bound (exports).</summary>
    public static TelemetryQuery? Parse(IQueryCollection query, DateTimeOffset now, int defaultLimit, int maxLimit, out Dictionary<string, string> errors)
    {
        errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var agent = Single(query, "agent", errors);
        var tag = Single(query, "tag", errors);
        var fromText = Single(query, "from", errors);
        var toText = Single(query, "to", errors);
        var limitText = Single(query, "limit", errors);
        var resolutionText = Single(query, "resolution", errors);

        if (agent is null)
        {
            errors.TryAdd("agent", "'agent' is required (an agent id)");
        }
        else if (!NameRules.IsValidAgentId(agent))
        {
            errors.TryAdd("agent", $"'agent' '{NameRules.Excerpt(agent)}' is not a valid agent id ({NameRules.NameRuleText})");
        }

        if (tag is null)
        {
            errors.TryAdd("tag", "'tag' is required (device/tag)");
        }
        else if (!NameRules.IsValidTag(tag))
        {
            errors.TryAdd("tag", $"'tag' '{NameRules.Excerpt(tag)}' is not {NameRules.TagRuleText}");
        }

        var to = ParseTime(toText, "to", errors) ?? UnixNanos.From(now);
        var from = ParseTime(fromText, "from", errors) ?? to - (long)(DefaultWindow.Ticks * 100);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && from >= to)
        {
            errors.Add("from", $"'from' ({Iso8601.FormatUnixNanos(from)}) must be earlier than 'to' ({Iso8601.FormatUnixNanos(to)})");
        }
        else if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && (decimal)to - from > MaxRange.Ticks * 100m)
        {
            errors.Add("from", $"'from'..'to' spans {((decimal)to - from) / 86_400_000_000_000m:F0} days; a query may span at most {MaxRange.TotalDays:F0} days");
        }

        var limit = defaultLimit;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            errors.TryAdd("limit", $"'limit' '{NameRules.Excerpt(limitText)}' must be an integer from 1 to {maxLimit}");
        }

        var resolution = QueryResolution.Raw;
        if (resolutionText is not null && !QueryResolutions.TryParse(resolutionText, out resolution))
        {
            errors.TryAdd("resolution", $"'resolution' '{NameRules.Excerpt(resolutionText)}' must be one of {QueryResolutions.Allowed}");
        }

        return errors.Count == 0 ? new TelemetryQuery(agent!, tag!, from, to, limit, resolution) : null;
    }

    internal static long? ParseTime(string? text, string name, Dictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (Iso8601.TryParseUnixNanos(text, out var unixNano))
        {
            return unixNano;
        }

        errors.TryAdd(name, $"'{name}' '{NameRules.Excerpt(text)}' is not {TimeExample} between the years 1678 and 2261");
        return null;
    }

    /// <summary>The parameter's one value; null when absent or empty. Given twice is an error, not a silent pick.</summary>
    internal static string? Single(IQueryCollection query, string name, Dictionary<string, string> errors)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.TryAdd(name, $"'{name}' is given {values.Count} times; give it once");
            return null;
        }

        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }
}
