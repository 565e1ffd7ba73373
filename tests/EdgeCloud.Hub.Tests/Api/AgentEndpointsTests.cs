using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>GET /api/v1/agents... over real HTTP.</summary>
public sealed class AgentEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Http => fixture.Hub.Http;

    [Fact]
    public async Task List_KnownAgent_ShowsStoredCountersOffline()
    {
        var agents = await Http.GetFromJsonAsync<JsonElement>("/api/v1/agents");

        var agent = Assert.Single(agents.EnumerateArray(), a => a.GetProperty("agentId").GetString() == ApiFixture.Agent);
        Assert.False(agent.GetProperty("online").GetBoolean());
        Assert.Equal("2025-03-01T12:00:00Z", agent.GetProperty("firstSeen").GetString());
        Assert.Equal("2025-03-01T12:00:00Z", agent.GetProperty("lastSeen").GetString());
        Assert.Equal("1.2.3", agent.GetProperty("agentVersion").GetString());
        Assert.Equal(
            (1UL, 1L, 8L, 0),
            (agent.GetProperty("highestSequence").GetUInt64(), agent.GetProperty("batches").GetInt64(), agent.GetProperty("points").GetInt64(), agent.GetProperty("gaps").GetInt32()));
    }

    [Fact]
    public async Task Get_KnownAgent_ReturnsIt()
    {
        var agent = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{ApiFixture.Agent}");

        Assert.Equal(ApiFixture.Agent, agent.GetProperty("agentId").GetString());
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("health").ValueKind);
    }

    [Theory]
    [InlineData("/api/v1/agents/nobody")]
    [InlineData("/api/v1/agents/nobody/gaps")]
    public async Task Get_UnknownAgent_404ProblemNamingIt(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'nobody'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/agents/bad%20id")]
    [InlineData("/api/v1/agents/bad%20id/gaps")]
    public async Task Get_InvalidAgentId_400ProblemNamingIt(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'agentId'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gaps_AgentWithoutGaps_EmptyArray()
    {
        var gaps = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{ApiFixture.Agent}/gaps");

        Assert.Equal(0, gaps.GetArrayLength());
    }

    [Fact]
    public async Task UnknownPath_404Problem()
    {
        using var response = await Http.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
