using System.Xml;
using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Api.Telemetry;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// <c>/api/v1/telemetry/analytics</c>: statistics, trend, correlation with a second tag (<c>with</c>) and a
/// linear forecast <c>horizon</c> after <c>to</c>, over at most <see cref="MaxValues"/> values.
/// </summary>
internal static class AnalyticsEndpoints
{
    public const int DefaultValues = 100_000;
    public const int MaxValues = 1_000_000;

    /// <summary>The farthest a forecast may reach past <c>to</c>.</summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(366);

    public static void Map(RouteGroupBuilder api) => api.MapGet("/telemetry/analytics", AnalyzeAsync)
        .WithName("AnalyzeTelemetry")
        .WithSummary("Mean, stddev, percentiles, trend (slope, R²), correlation with another tag and a linear forecast for one tag over [from, to)")
        .Produces<AnalyticsResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithQueryParameters(
        [
            .. TelemetryEndpoints.RangeParameters,
            ("limit", $"Use at most this many values, 1-{MaxValues} (default {DefaultValues})", false),
            ("with", "A second tag of the same agent to correlate with (device/tag)", false),
            ("horizon", "Forecast this far after 'to', an ISO-8601 duration such as PT1H or P1D (at most 366 days)", false),
        ]);

    private static async Task<IResult> AnalyzeAsync(
        HttpRequest request, [FromServices] ITelemetryStore store, [FromServices] ITelemetryRollups rollups, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var query = TelemetryQuery.Parse(request.Query, time.GetUtcNow(), DefaultValues, MaxValues, out var errors);
        var with = TelemetryQuery.Single(request.Query, "with", errors);
        if (with is not null && !NameRules.IsValidTag(with))
        {
            errors.TryAdd("with", $"'with' '{NameRules.Excerpt(with)}' is not {NameRules.TagRuleText}");
        }

        var horizon = ParseHorizon(TelemetryQuery.Single(request.Query, "horizon", errors), errors);
        if (query is null || errors.Count > 0)
        {
            return ApiProblems.BadParameters(errors);
        }

        if (await store.GetAgentAsync(query.Agent, cancellationToken) is null)
        {
            return ApiProblems.UnknownAgent(query.Agent);
        }

        var (values, truncated) = await AnalyticsSeries.ReadAsync(store, rollups, query, cancellationToken);
        var origin = query.FromUnixNano;
        double Seconds(long t) => (t - origin) / 1e9;
        var fit = LinearFit.Of([.. values.Select(v => (Seconds(v.T), v.V))]);

        CorrelationView? correlation = null;
        if (with is not null)
        {
            var (other, _) = await AnalyticsSeries.ReadAsync(store, rollups, query with { Tag = with }, cancellationToken);
            var pairs = AnalyticsSeries.Pair(values, other, sameTimeOnly: QueryResolutions.Rollup(query.Effective) is not null);
            correlation = new CorrelationView(with, pairs.Count, Statistics.Pearson(pairs));
        }

        ForecastView? forecast = null;
        if (horizon is { } ahead && fit is not null)
        {
            var at = query.ToUnixNano + (ahead.Ticks * 100);
            var (value, lower, upper) = fit.Predict(Seconds(at));
            forecast = new ForecastView(Iso8601.FormatUnixNanos(at), value, lower, upper, 0.95);
        }

        return TypedResults.Ok(new AnalyticsResponse(
            query.Agent,
            query.Tag,
            Iso8601.FormatUnixNanos(query.FromUnixNano),
            Iso8601.FormatUnixNanos(query.ToUnixNano),
            QueryResolutions.Name(query.Effective),
            truncated,
            Statistics.Describe([.. values.Select(v => v.V)]),
            fit is null ? null : new TrendView(fit.Slope, fit.Slope * 3600, fit.Intercept, fit.R2),
            correlation,
            forecast));
    }

    private static TimeSpan? ParseHorizon(string? text, Dictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var horizon = XmlConvert.ToTimeSpan(text);
            if (horizon > TimeSpan.Zero && horizon <= MaxHorizon)
            {
                return horizon;
            }
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }

        errors.TryAdd("horizon", $"'horizon' '{NameRules.Excerpt(text)}' must be an ISO-8601 duration above zero and at most {MaxHorizon.TotalDays:F0} days, such as PT1H or P7D");
        return null;
    }
}
