using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary><c>/api/v1/telemetry</c>: raw points of one tag of one agent over a time range.</summary>
internal static class TelemetryEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/telemetry", QueryAsync).WithName("QueryTelemetry");

    private static async Task<IResult> QueryAsync(
        HttpRequest request, [FromServices] ITelemetryStore store, [FromServices] TimeProvider time, CancellationToken cancellationToken)
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

        // One more than asked tells whether the range holds more.
        var points = await store.QueryPointsAsync(query.Agent, query.Tag, query.FromUnixNano, query.ToUnixNano, query.Limit + 1, cancellationToken);
        var truncated = points.Count > query.Limit;
        var views = new List<PointView>(Math.Min(points.Count, query.Limit));
        foreach (var point in points.Take(query.Limit))
        {
            views.Add(new PointView(Iso8601.FormatUnixNanos(point.TimeUnixNano), point.Value, QualityNames.Name(point.Quality), point.StatusDetail));
        }

        return TypedResults.Ok(new TelemetryResponse(
            query.Agent, query.Tag, Iso8601.FormatUnixNanos(query.FromUnixNano), Iso8601.FormatUnixNanos(query.ToUnixNano), truncated, views));
    }
}
