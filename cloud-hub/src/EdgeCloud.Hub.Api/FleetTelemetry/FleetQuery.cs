using System.Globalization;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Api.Telemetry;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>
/// A validated fleet query: one tag across <see cref="Agents"/> (null: every known agent), grouped by agent or by
/// the label <see cref="LabelKey"/>, over [from, to) at a rollup resolution. Every bad parameter is named.
/// </summary>
internal sealed record FleetQuery(string Tag, IReadOnlyList<string>? Agents, string? LabelKey, long FromUnixNano, long ToUnixNano, int Limit, QueryResolution Resolution)
{
    public const int MaxAgents = 1000;

    public static FleetQuery? Parse(IQueryCollection query, DateTimeOffset now, out Dictionary<string, string> errors)
    {
        errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var tag = TelemetryQuery.Single(query, "tag", errors);
        var agentsText = TelemetryQuery.Single(query, "agents", errors);
        var groupBy = TelemetryQuery.Single(query, "groupBy", errors) ?? "agent";
        var resolutionText = TelemetryQuery.Single(query, "resolution", errors) ?? "auto";
        var limitText = TelemetryQuery.Single(query, "limit", errors);

        if (tag is null || !NameRules.IsValidTag(tag))
        {
            errors.TryAdd("tag", tag is null ? "'tag' is required (device/tag)" : $"'tag' '{NameRules.Excerpt(tag)}' is not {NameRules.TagRuleText}");
        }

        List<string>? agents = null;
        if (agentsText is not null)
        {
            agents = [.. agentsText.Split(',', StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
            if (agents.FirstOrDefault(a => !NameRules.IsValidAgentId(a)) is { } bad)
            {
                errors.TryAdd("agents", $"'agents' holds '{NameRules.Excerpt(bad)}', which is not a valid agent id ({NameRules.NameRuleText}); give ids separated by commas");
            }
            else if (agents.Count > MaxAgents)
            {
                errors.TryAdd("agents", $"'agents' lists {agents.Count} agents; at most {MaxAgents}");
            }
        }

        string? labelKey = null;
        if (groupBy.StartsWith("label:", StringComparison.Ordinal) && groupBy.Length > 6 && NameRules.IsValidAgentId(groupBy[6..]))
        {
            labelKey = groupBy[6..];
        }
        else if (groupBy != "agent")
        {
            errors.TryAdd("groupBy", $"'groupBy' '{NameRules.Excerpt(groupBy)}' must be 'agent' or 'label:<key>' (for example label:site)");
        }

        if (!QueryResolutions.TryParse(resolutionText, out var resolution) || resolution == QueryResolution.Raw)
        {
            errors.TryAdd("resolution", $"'resolution' '{NameRules.Excerpt(resolutionText)}' must be one of 1m, 1h, auto (fleet queries read rollups only)");
        }

        var to = TelemetryQuery.ParseTime(TelemetryQuery.Single(query, "to", errors), "to", errors) ?? UnixNanos.From(now);
        var from = TelemetryQuery.ParseTime(TelemetryQuery.Single(query, "from", errors), "from", errors) ?? to - (TimeSpan.FromDays(1).Ticks * 100);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && (from >= to || (decimal)to - from > TelemetryQuery.MaxRange.Ticks * 100m))
        {
            errors.Add("from", $"'from' ({Iso8601.FormatUnixNanos(from)}) must be earlier than 'to' ({Iso8601.FormatUnixNanos(to)}) and at most {TelemetryQuery.MaxRange.TotalDays:F0} days before it");
        }

        var limit = TelemetryQuery.DefaultLimit;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > TelemetryQuery.MaxLimit))
        {
            errors.TryAdd("limit", $"'limit' '{NameRules.Excerpt(limitText)}' must be an integer from 1 to {TelemetryQuery.MaxLimit}");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        // Auto never means raw here: pick 1m or 1h as the per-agent query would for a long range.
        var effective = QueryResolutions.Pick(resolution, from, to, limit) is QueryResolution.OneHour ? QueryResolution.OneHour : QueryResolution.OneMinute;
        return new FleetQuery(tag!, agents, labelKey, from, to, limit, resolution == QueryResolution.Auto ? effective : resolution);
    }
}
