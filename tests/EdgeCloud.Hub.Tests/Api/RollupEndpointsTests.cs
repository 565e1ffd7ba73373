using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>Rollup queries, exports, analytics and fleet aggregates over real HTTP, with their bad-input answers.</summary>
public sealed class RollupEndpointsTests(RollupApiFixture fixture) : IClassFixture<RollupApiFixture>
{
    private const string Power = "agent=line-1&tag=m1/power&from=2023-11-14T22:00:00Z";

    private HttpClient Http => fixture.Hub.Http;

    [Fact]
    public async Task Query_OneMinute_BucketsWithCountMinMaxAvgLast()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/telemetry?{Power}&to=2023-11-14T22:10:00Z&resolution=1m");

        Assert.Equal("1m", body.GetProperty("resolution").GetString());
        Assert.False(body.TryGetProperty("points", out _));
        var buckets = body.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(10, buckets.Count);
        Assert.Equal("2023-11-14T22:03:00Z", buckets[3].GetProperty("t").GetString());
        Assert.Equal((2, 106.0, 107.0, 106.5, 213.0, 107.0), (
            buckets[3].GetProperty("count").GetInt32(), buckets[3].GetProperty("min").GetDouble(), buckets[3].GetProperty("max").GetDouble(),
            buckets[3].GetProperty("avg").GetDouble(), buckets[3].GetProperty("sum").GetDouble(), buckets[3].GetProperty("last").GetDouble()));
    }

    [Theory]
    [InlineData("2023-11-14T23:00:00Z", "auto", "raw", 120)]
    [InlineData("2023-11-15T01:00:00Z", "auto", "1m", 180)]
    [InlineData("2023-11-15T01:00:00Z", "1h", "1h", 3)]
    [InlineData("2024-11-15T01:00:00Z", "auto", "1h", 3)]
    public async Task Query_Resolution_PicksRawOrRollupByRange(string to, string asked, string served, int rows)
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/telemetry?{Power}&to={to}&resolution={asked}");

        Assert.Equal(served, body.GetProperty("resolution").GetString());
        Assert.Equal(rows, body.GetProperty(served == "raw" ? "points" : "buckets").GetArrayLength());
    }

    [Fact]
    public async Task Export_RawCsv_HeaderAndOneLinePerPoint()
    {
        using var response = await Http.GetAsync($"/api/v1/telemetry/export?{Power}&to=2023-11-15T01:00:00Z");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("time,value,quality,detail", lines[0]);
        Assert.Equal(RollupApiFixture.Count + 1, lines.Length);
        Assert.Equal("2023-11-14T22:00:30Z,101,good,0", lines[2]);
    }

    [Fact]
    public async Task Export_HourlyJson_ArrayOfBuckets()
    {
        using var response = await Http.GetAsync($"/api/v1/telemetry/export?{Power}&to=2023-11-15T01:00:00Z&resolution=1h&format=json");
        var buckets = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal(3, buckets.Count);
        Assert.Equal((120, 100.0 + 59.5), (buckets[0].GetProperty("count").GetInt32(), buckets[0].GetProperty("avg").GetDouble()));
    }

    [Fact]
    public async Task Analytics_LinearSeries_ExactStatsTrendCorrelationAndForecast()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/telemetry/analytics?{Power}&to=2023-11-15T01:00:00Z&with=m1/current&horizon=PT30M");

        var stats = body.GetProperty("stats");
        Assert.Equal((360, 279.5, 100.0, 459.0, 279.5), (
            stats.GetProperty("count").GetInt32(), stats.GetProperty("mean").GetDouble(), stats.GetProperty("min").GetDouble(),
            stats.GetProperty("max").GetDouble(), stats.GetProperty("p50").GetDouble()));
        Assert.Equal(Math.Sqrt(360 * 361 / 12.0), stats.GetProperty("stddev").GetDouble(), 9); // sample stddev of 0..359
        Assert.Equal(100 + (0.9 * 359), stats.GetProperty("p90").GetDouble(), 9);
        var trend = body.GetProperty("trend");
        Assert.Equal(1.0 / 30, trend.GetProperty("slopePerSecond").GetDouble(), 12);
        Assert.Equal(120.0, trend.GetProperty("slopePerHour").GetDouble(), 9);
        Assert.Equal(1.0, trend.GetProperty("r2").GetDouble(), 12);
        Assert.Equal(1.0, body.GetProperty("correlation").GetProperty("r").GetDouble(), 12);
        var forecast = body.GetProperty("forecast");
        Assert.Equal("2023-11-15T01:30:00Z", forecast.GetProperty("at").GetString());
        Assert.Equal(520.0, forecast.GetProperty("value").GetDouble(), 6);
        Assert.InRange(forecast.GetProperty("upper").GetDouble() - forecast.GetProperty("lower").GetDouble(), 0, 1e-6);
    }

    [Fact]
    public async Task Analytics_NoisyRollup_IntervalWidensWithScatter()
    {
        // Hourly averages of line-1 and a constant: the constant's trend is flat with R² undefined (null).
        var body = await Http.GetFromJsonAsync<JsonElement>(
            "/api/v1/telemetry/analytics?agent=line-2&tag=m1/power&from=2023-11-14T22:00:00Z&to=2023-11-15T01:00:00Z&resolution=1m&horizon=PT1H");

        Assert.Equal("1m", body.GetProperty("resolution").GetString());
        Assert.Equal(0.0, body.GetProperty("trend").GetProperty("slopePerSecond").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("trend").GetProperty("r2").ValueKind);
        Assert.Equal(50.0, body.GetProperty("forecast").GetProperty("value").GetDouble(), 9);
    }

    [Fact]
    public async Task Fleet_GroupBySite_TotalsSumAgentAverages()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>(
            "/api/v1/fleet/telemetry?tag=m1/power&groupBy=label:site&from=2023-11-14T22:00:00Z&to=2023-11-14T23:00:00Z&resolution=1h");

        var groups = body.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["north", "south"], groups.Select(g => g.GetProperty("key").GetString()));
        Assert.Equal(["line-1", "line-2"], groups[0].GetProperty("agents").EnumerateArray().Select(a => a.GetString()));
        var north = Assert.Single(groups[0].GetProperty("buckets").EnumerateArray());
        Assert.Equal((2, 240, 159.5 + 50, 50.0, 219.0), (
            north.GetProperty("agents").GetInt32(), north.GetProperty("count").GetInt32(), north.GetProperty("total").GetDouble(),
            north.GetProperty("min").GetDouble(), north.GetProperty("max").GetDouble()));
        Assert.Equal(10.0, Assert.Single(groups[1].GetProperty("buckets").EnumerateArray()).GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task Fleet_ListedAgentsByAgent_OneGroupEach()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>(
            "/api/v1/fleet/telemetry?tag=m1/power&agents=line-3,line-2&from=2023-11-14T22:00:00Z&to=2023-11-14T22:05:00Z&resolution=1m");

        var groups = body.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["line-2", "line-3"], groups.Select(g => g.GetProperty("key").GetString()));
        Assert.All(groups, g => Assert.Equal(5, g.GetProperty("buckets").GetArrayLength()));
    }

    [Theory]
    [InlineData("/api/v1/telemetry?" + Power + "&resolution=5m", "resolution")]
    [InlineData("/api/v1/telemetry?" + Power + "&resolution=", "agent-ok")]
    [InlineData("/api/v1/telemetry?agent=line-1&tag=m1/power&from=1900-01-01T00:00:00Z&to=2000-01-01T00:00:00Z", "from")]
    [InlineData("/api/v1/telemetry/export?" + Power + "&limit=1000001", "limit")]
    [InlineData("/api/v1/telemetry/export?" + Power + "&format=xml", "format")]
    [InlineData("/api/v1/telemetry/analytics?" + Power + "&horizon=P9999D", "horizon")]
    [InlineData("/api/v1/telemetry/analytics?" + Power + "&horizon=soon", "horizon")]
    [InlineData("/api/v1/telemetry/analytics?" + Power + "&with=current", "with")]
    [InlineData("/api/v1/fleet/telemetry?tag=m1/power&resolution=raw", "resolution")]
    [InlineData("/api/v1/fleet/telemetry?tag=m1/power&groupBy=site", "groupBy")]
    [InlineData("/api/v1/fleet/telemetry?tag=m1/power&agents=line-1,bad%20id", "agents")]
    [InlineData("/api/v1/fleet/telemetry?agents=line-1", "tag")]
    public async Task BadParameter_400ProblemNamingIt(string url, string parameter)
    {
        using var response = await Http.GetAsync(url);

        if (parameter == "agent-ok")
        {
            // An empty value means "not given": the default (raw) applies.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"'{parameter}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors names '{parameter}': {problem}");
    }

    [Fact]
    public async Task OpenApi_NewRoutes_DescribedWithTheirParameters()
    {
        var paths = (await Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        foreach (var (path, parameter) in new[]
        {
            ("/api/v1/telemetry", "resolution"), ("/api/v1/telemetry/export", "format"),
            ("/api/v1/telemetry/analytics", "horizon"), ("/api/v1/fleet/telemetry", "groupBy"),
        })
        {
            var names = paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
            Assert.Contains(parameter, names);
        }
    }
}
