using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary><c>/api/v1/telemetry</c>: raw points of one tag of one agent over a time range.</summary>
internal static class TelemetryEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/telemetry", QueryAsync)
        .WithName("QueryTelemetry")
        .WithSummary("Raw points of one tag of one agent over [from, to)")
        .Produces<TelemetryResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            // The parameters are parsed by hand (see QueryAsync), so the document lists them here.
            operation.Parameters ??= [];
            operation.Parameters.Add(Query("agent", "Agent id", required: true));
            operation.Parameters.Add(Query("tag", "Tag address device/tag", required: true));
            operation.Parameters.Add(Query("from", "Start, ISO-8601 UTC, inclusive (default: to minus 1 h)", required: false));
            operation.Parameters.Add(Query("to", "End, ISO-8601 UTC, exclusive (default: now)", required: false));
            operation.Parameters.Add(Query("limit", "At most this many points, 1-100000 (default 10000)", required: false));
            return Task.CompletedTask;
        });

    private static OpenApiParameter Query(string name, string description, bool required) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

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
