using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary><c>/api/v1/telemetry</c>: points or rollup buckets of one tag of one agent over a time range.</summary>
internal static class TelemetryEndpoints
{
    /// <summary>The query parameters every per-tag route shares, for the OpenAPI document.</summary>
    public static readonly (string Name, string Description, bool Required)[] RangeParameters =
    [
        ("agent", "Agent id", true),
        ("tag", "Tag address device/tag", true),
        ("from", "Start, ISO-8601 UTC, inclusive (default: to minus 1 h)", false),
        ("to", "End, ISO-8601 UTC, exclusive (default: now); the range spans at most 3653 days", false),
        ("resolution", "raw (default), 1m, 1h, or auto (raw up to 2 h, else 1m while the buckets fit the limit, else 1h)", false),
    ];

    public static void Map(RouteGroupBuilder api) => api.MapGet("/telemetry", QueryAsync)
        .WithName("QueryTelemetry")
        .WithSummary("Raw points or 1m/1h rollup buckets of one tag of one agent over [from, to)")
        .Produces<TelemetryResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithQueryParameters([.. RangeParameters, ("limit", "At most this many points or buckets, 1-100000 (default 10000)", false)]);

    private static async Task<IResult> QueryAsync(
        HttpRequest request, [FromServices] ITelemetryStore store, [FromServices] ITelemetryRollups rollups, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        // Parameters are parsed here rather than bound, so that every error names its parameter and why.
        var query = TelemetryQuery.Parse(request.Query, time.GetUtcNow(), out var errors);
        if (query is null)
        {
            return ApiProblems.BadParameters(errors);
        }

        if (await store.GetAgentAsync(query.Agent, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(query.Agent);
        }

        var from = Iso8601.FormatUnixNanos(query.FromUnixNano);
        var to = Iso8601.FormatUnixNanos(query.ToUnixNano);
        var effective = query.Effective;

        // One more than asked tells whether the range holds more.
        if (QueryResolutions.Rollup(effective) is { } level)
        {
            var buckets = await rollups.QueryRollupsAsync(query.Agent, query.Tag, level, query.FromUnixNano, query.ToUnixNano, query.Limit + 1, cancellationToken);
            return TypedResults.Ok(new TelemetryResponse(
                query.Agent, query.Tag, from, to, buckets.Count > query.Limit, null, QueryResolutions.Name(effective),
                [.. buckets.Take(query.Limit).Select(BucketView.From)]));
        }

        var points = await store.QueryPointsAsync(query.Agent, query.Tag, query.FromUnixNano, query.ToUnixNano, query.Limit + 1, cancellationToken);
        var views = new List<PointView>(Math.Min(points.Count, query.Limit));
        foreach (var point in points.Take(query.Limit))
        {
            views.Add(PointView.From(point));
        }

        return TypedResults.Ok(new TelemetryResponse(query.Agent, query.Tag, from, to, points.Count > query.Limit, views));
    }
}
