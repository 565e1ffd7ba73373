using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// <c>/api/v1/telemetry/export</c>: one tag's points or buckets as a CSV or JSON download, streamed page by
/// page (<see cref="TelemetryPages"/>), up to <see cref="MaxRows"/> rows. Validation is the query API's; the
/// agent is checked before the first byte, so an error is still a problem+json answer.
/// </summary>
internal static class TelemetryExportEndpoints
{
    public const int DefaultRows = 100_000;
    public const int MaxRows = 1_000_000;

    public static void Map(RouteGroupBuilder api) => api.MapGet("/telemetry/export", ExportAsync)
        .WithName("ExportTelemetry")
        .WithSummary("Download one tag's points or rollup buckets over [from, to) as CSV or JSON")
        .Produces(StatusCodes.Status200OK, contentType: "text/csv")
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithQueryParameters(
        [
            .. TelemetryEndpoints.RangeParameters,
            ("format", "csv (default) or json", false),
            ("limit", $"At most this many rows, 1-{MaxRows} (default {DefaultRows})", false),
        ]);

    private static async Task<IResult> ExportAsync(
        HttpRequest request,
        [FromServices] ITelemetryStore store,
        [FromServices] ITelemetryRollups rollups,
        [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var query = TelemetryQuery.Parse(request.Query, time.GetUtcNow(), DefaultRows, MaxRows, out var errors);
        var format = TelemetryQuery.Single(request.Query, "format", errors) ?? "csv";
        if (format is not ("csv" or "json"))
        {
            errors.TryAdd("format", $"'format' '{Storage.Validation.NameRules.Excerpt(format)}' must be csv or json");
        }

        if (query is null || errors.Count > 0)
        {
            return ApiProblems.BadParameters(errors);
        }

        if (await store.GetAgentAsync(query.Agent, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(query.Agent);
        }

        var level = QueryResolutions.Rollup(query.Effective);
        var name = $"{query.Agent}_{query.Tag.Replace('/', '_')}_{QueryResolutions.Name(query.Effective)}.{format}";
        var contentType = format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        return TypedResults.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
                if (format == "csv")
                {
                    await WriteCsvAsync(writer, store, rollups, query, level, cancellationToken);
                }
                else
                {
                    await WriteJsonAsync(writer, store, rollups, query, level, json.Value.SerializerOptions, cancellationToken);
                }
            },
            contentType,
            name);
    }

    private static async Task WriteCsvAsync(
        StreamWriter writer, ITelemetryStore store, ITelemetryRollups rollups, TelemetryQuery query, RollupResolution? level, CancellationToken cancellationToken)
    {
        if (level is { } rollup)
        {
            await writer.WriteLineAsync("bucket,count,min,max,avg,sum,last,last_time");
            await foreach (var b in TelemetryPages.ReadBucketsAsync(rollups, query, rollup, cancellationToken))
            {
                await writer.WriteLineAsync(string.Join(
                    ',', Iso8601.FormatUnixNanos(b.BucketUnixNano), b.Count.ToString(CultureInfo.InvariantCulture), Csv.Number(b.Min), Csv.Number(b.Max),
                    Csv.Number(b.Avg), Csv.Number(b.Sum), Csv.Number(b.Last), Iso8601.FormatUnixNanos(b.LastTimeUnixNano)));
            }

            return;
        }

        await writer.WriteLineAsync("time,value,quality,detail");
        await foreach (var p in TelemetryPages.ReadPointsAsync(store, query, cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(
                ',', Iso8601.FormatUnixNanos(p.TimeUnixNano), Csv.Value(p.Value), QualityNames.Name(p.Quality), p.StatusDetail.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static async Task WriteJsonAsync(
        StreamWriter writer, ITelemetryStore store, ITelemetryRollups rollups, TelemetryQuery query, RollupResolution? level, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        // A JSON array, one element per row, written as the pages arrive.
        await writer.WriteAsync('[');
        var first = true;
        async Task ElementAsync<T>(T view)
        {
            await writer.WriteAsync(first ? "\n" : ",\n");
            first = false;
            await writer.WriteAsync(JsonSerializer.Serialize(view, options));
        }

        if (level is { } rollup)
        {
            await foreach (var b in TelemetryPages.ReadBucketsAsync(rollups, query, rollup, cancellationToken))
            {
                await ElementAsync(BucketView.From(b));
            }
        }
        else
        {
            await foreach (var p in TelemetryPages.ReadPointsAsync(store, query, cancellationToken))
            {
                await ElementAsync(PointView.From(p));
            }
        }

        await writer.WriteAsync("\n]\n");
    }
}
