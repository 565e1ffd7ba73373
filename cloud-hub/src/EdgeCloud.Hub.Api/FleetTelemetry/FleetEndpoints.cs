using EdgeCloud.Hub.Api.Access;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Api.Telemetry;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary><c>/api/v1/fleet/telemetry</c>: one tag's rollups across agents, grouped by agent or by a label.</summary>
internal static class FleetEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/fleet/telemetry", QueryAsync)
        .WithName("QueryFleetTelemetry")
        .WithSummary("One tag's 1m/1h rollups across agents over [from, to), grouped by agent or by label (e.g. total power per site)")
        .Produces<FleetResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithQueryParameters(
            ("tag", "Tag address device/tag", true),
            ("agents", $"Agent ids separated by commas, at most {FleetQuery.MaxAgents} (default: every known agent)", false),
            ("groupBy", "agent (default) or label:<key>, e.g. label:site (labels from the AgentLabels configuration or the fleet registry)", false),
            ("from", "Start, ISO-8601 UTC, inclusive (default: to minus 1 day)", false),
            ("to", "End, ISO-8601 UTC, exclusive (default: now)", false),
            ("resolution", "1m, 1h or auto (default)", false),
            ("limit", "At most this many agent buckets, 1-100000 (default 10000)", false));

    private static async Task<IResult> QueryAsync(
        HttpRequest request,
        [FromServices] ITelemetryStore store,
        [FromServices] ITelemetryRollups rollups,
        [FromServices] IAgentLabels labels,
        [FromServices] IAgentScope scope,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var query = FleetQuery.Parse(request.Query, time.GetUtcNow(), out var errors);
        if (query is null)
        {
            return ApiProblems.BadParameters(errors);
        }

        // Only the caller's tenant: "every known agent" means every agent the caller may see.
        var visible = await scope.VisibleAgentsAsync(request.HttpContext.User, cancellationToken);
        IReadOnlyList<string> agents = [.. (query.Agents ?? (await store.ListAgentsAsync(cancellationToken)).Select(a => a.AgentId))
            .Where(id => visible is null || visible.Contains(id))
            .Take(FleetQuery.MaxAgents)];
        Func<string, string?> groupOf = id => id;
        if (query.LabelKey is { } key)
        {
            var values = await labels.GetLabelAsync(key, cancellationToken);
            agents = [.. agents.Where(values.ContainsKey)];
            groupOf = id => values[id];
        }

        var level = QueryResolutions.Rollup(query.Resolution)!.Value;
        var rows = agents.Count == 0
            ? []
            : await rollups.QueryFleetRollupsAsync(agents, query.Tag, level, query.FromUnixNano, query.ToUnixNano, query.Limit + 1, cancellationToken);
        var truncated = rows.Count > query.Limit;
        var groups = agents.GroupBy(a => groupOf(a)!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToHashSet(StringComparer.Ordinal);
                var buckets = rows.Take(query.Limit).Where(r => members.Contains(r.AgentId))
                    .GroupBy(r => r.Bucket.BucketUnixNano)
                    .Select(b => Merge(b.Key, [.. b.Select(r => r.Bucket)]))
                    .ToList();
                return new FleetGroupView(g.Key, [.. g.Order(StringComparer.Ordinal)], buckets);
            })
            .ToList();

        return TypedResults.Ok(new FleetResponse(
            query.Tag,
            Iso8601.FormatUnixNanos(query.FromUnixNano),
            Iso8601.FormatUnixNanos(query.ToUnixNano),
            QueryResolutions.Name(query.Resolution),
            query.LabelKey is null ? "agent" : "label:" + query.LabelKey,
            truncated,
            groups));
    }

    private static FleetBucketView Merge(long start, List<RollupBucket> perAgent)
    {
        var count = perAgent.Sum(b => b.Count);
        var sum = perAgent.Sum(b => b.Sum);
        return new FleetBucketView(
            Iso8601.FormatUnixNanos(start), perAgent.Count, count, perAgent.Min(b => b.Min), perAgent.Max(b => b.Max), sum / count, sum, perAgent.Sum(b => b.Avg));
    }
}
