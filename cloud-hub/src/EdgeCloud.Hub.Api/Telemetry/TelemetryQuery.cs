using System.Globalization;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// A validated telemetry query: one tag of one agent, <see cref="FromUnixNano"/> inclusive to
/// <see cref="ToUnixNano"/> exclusive, at most <see cref="Limit"/> points. <see cref="Parse"/> checks every
/// parameter and reports all that are wrong at once, each message naming its parameter.
/// </summary>
internal sealed record TelemetryQuery(string Agent, string Tag, long FromUnixNano, long ToUnixNano, int Limit)
{
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 100_000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    private const string TimeExample = "an ISO-8601 time such as 2025-01-31T12:00:00Z or 2025-01-31T13:00:00.123456789+01:00";

    /// <summary>Returns the query, or null with <paramref name="errors"/> filled (parameter name to reason).</summary>
    public static TelemetryQuery? Parse(IQueryCollection query, DateTimeOffset now, out Dictionary<string, string> errors)
    {
        errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var agent = Single(query, "agent", errors);
        var tag = Single(query, "tag", errors);
        var fromText = Single(query, "from", errors);
        var toText = Single(query, "to", errors);
        var limitText = Single(query, "limit", errors);

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

        var limit = DefaultLimit;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.TryAdd("limit", $"'limit' '{NameRules.Excerpt(limitText)}' must be an integer from 1 to {MaxLimit}");
        }

        return errors.Count == 0 ? new TelemetryQuery(agent!, tag!, from, to, limit) : null;
    }

    private static long? ParseTime(string? text, string name, Dictionary<string, string> errors)
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
    private static string? Single(IQueryCollection query, string name, Dictionary<string, string> errors)
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
