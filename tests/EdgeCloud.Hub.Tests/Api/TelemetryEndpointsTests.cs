using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>GET /api/v1/telemetry over real HTTP against stored points.</summary>
public sealed class TelemetryEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Range = "agent=agent-a&tag=plc1/temperature&from=2023-11-14T22:13:20Z&to=2023-11-14T22:13:30Z";

    private HttpClient Http => fixture.Hub.Http;

    [Fact]
    public async Task Query_StoredPoints_ExactValuesTimesAndQualities()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/telemetry?{Range}");

        Assert.Equal(("agent-a", "plc1/temperature", "2023-11-14T22:13:20Z", "2023-11-14T22:13:30Z", false), (
            body.GetProperty("agent").GetString(), body.GetProperty("tag").GetString(), body.GetProperty("from").GetString(),
            body.GetProperty("to").GetString(), body.GetProperty("truncated").GetBoolean()));
        var points = body.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(
            [
                "2023-11-14T22:13:20.123456789Z", "2023-11-14T22:13:20.12345679Z", "2023-11-14T22:13:20.123457789Z",
                "2023-11-14T22:13:20.124456789Z", "2023-11-14T22:13:21.123456789Z", "2023-11-14T22:13:22.123456789Z",
                "2023-11-14T22:13:23.123456789Z",
            ],
            points.Select(p => p.GetProperty("t").GetString()));
        Assert.Equal(21.5, points[0].GetProperty("v").GetDouble());
        Assert.Equal(9_007_199_254_740_993, points[1].GetProperty("v").GetInt64());
        Assert.Equal(JsonValueKind.True, points[2].GetProperty("v").ValueKind);
        Assert.Equal("open", points[3].GetProperty("v").GetString());
        Assert.Equal(JsonValueKind.Null, points[4].GetProperty("v").ValueKind);
        Assert.Equal("NaN", points[6].GetProperty("v").GetString());
        Assert.Equal(
            ["good", "good", "good", "good", "bad_timeout", "bad_device_exception", "uncertain"],
            points.Select(p => p.GetProperty("q").GetString()));
        Assert.Equal(2u, points[5].GetProperty("d").GetUInt32());
        Assert.False(points[0].TryGetProperty("d", out _));
    }

    [Fact]
    public async Task Query_ReturnedTimeAsBounds_SelectsExactlyThatPoint()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>(
            "/api/v1/telemetry?agent=agent-a&tag=plc1/temperature&from=2023-11-14T22:13:20.12345679Z&to=2023-11-14T22:13:20.123457789Z");

        var point = Assert.Single(body.GetProperty("points").EnumerateArray());
        Assert.Equal("2023-11-14T22:13:20.12345679Z", point.GetProperty("t").GetString());
    }

    [Fact]
    public async Task Query_OffsetTimes_ConvertedToUtc()
    {
        // 23:13:20+01:00 is 22:13:20Z; the '+' is escaped as a client must in a query string.
        var body = await Http.GetFromJsonAsync<JsonElement>(
            "/api/v1/telemetry?agent=agent-a&tag=plc1/temperature&from=2023-11-14T23:13:20%2B01:00&to=2023-11-14T23:13:21%2B01:00");

        Assert.Equal("2023-11-14T22:13:20Z", body.GetProperty("from").GetString());
        Assert.Equal(4, body.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Query_Limit_ReturnsEarliestAndFlagsTruncated()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/telemetry?{Range}&limit=2");

        Assert.Equal(2, body.GetProperty("points").GetArrayLength());
        Assert.True(body.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Query_DefaultRange_IsLastHourEndingNow()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>("/api/v1/telemetry?agent=agent-a&tag=plc1/temperature");

        var from = DateTimeOffset.Parse(body.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(body.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), to - from);
        Assert.InRange(to, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(0, body.GetProperty("points").GetArrayLength());
    }

    [Theory]
    [InlineData("tag=plc1/temperature", "agent")]
    [InlineData("agent=&tag=plc1/temperature", "agent")]
    [InlineData("agent=bad%20id&tag=plc1/temperature", "agent")]
    [InlineData("agent=agent-a", "tag")]
    [InlineData("agent=agent-a&tag=temperature", "tag")]
    [InlineData("agent=agent-a&tag=plc1/temp/x", "tag")]
    [InlineData("agent=agent-a&tag=plc1/temperature&from=yesterday", "from")]
    [InlineData("agent=agent-a&tag=plc1/temperature&from=2023-13-01T00:00:00Z", "from")]
    [InlineData("agent=agent-a&tag=plc1/temperature&to=11/14/2023", "to")]
    [InlineData("agent=agent-a&tag=plc1/temperature&to=2023-11-14T22:13:20.1234567891Z", "to")]
    [InlineData("agent=agent-a&tag=plc1/temperature&to=3000-01-01T00:00:00Z", "to")]
    [InlineData("agent=agent-a&tag=plc1/temperature&from=2023-11-14T22:13:30Z&to=2023-11-14T22:13:20Z", "from")]
    [InlineData("agent=agent-a&tag=plc1/temperature&from=2023-11-14T22:13:20Z&to=2023-11-14T22:13:20Z", "from")]
    [InlineData("agent=agent-a&tag=plc1/temperature&limit=0", "limit")]
    [InlineData("agent=agent-a&tag=plc1/temperature&limit=100001", "limit")]
    [InlineData("agent=agent-a&tag=plc1/temperature&limit=-5", "limit")]
    [InlineData("agent=agent-a&tag=plc1/temperature&limit=ten", "limit")]
    [InlineData("agent=agent-a&agent=agent-b&tag=plc1/temperature", "agent")]
    public async Task Query_BadParameter_400ProblemNamingIt(string query, string parameter)
    {
        using var response = await Http.GetAsync($"/api/v1/telemetry?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains($"'{parameter}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors names '{parameter}': {problem}");
    }

    [Fact]
    public async Task Query_SeveralBadParameters_AllNamed()
    {
        using var response = await Http.GetAsync("/api/v1/telemetry?tag=x&limit=0");

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["agent", "limit", "tag"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Query_UnknownAgent_404Problem()
    {
        using var response = await Http.GetAsync("/api/v1/telemetry?agent=nobody&tag=plc1/temperature");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'nobody'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
