using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>/healthz and the root page.</summary>
public sealed class HealthAndRootTests
{
    [Fact]
    public async Task Healthz_DatabaseAnswers_200Healthy()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);

        using var response = await hub.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_DatabaseFails_503Unhealthy()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(
            data.Path, builder => builder.Services.AddSingleton<ITelemetryStore>(new UnreachableTelemetryStore()));

        using var response = await hub.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheRestApi()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);

        var document = await hub.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/agents", paths);
        Assert.Contains("/api/v1/agents/{agentId}", paths);
        Assert.Contains("/api/v1/telemetry", paths);
        var parameters = document.GetProperty("paths").GetProperty("/api/v1/telemetry").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?>(["agent", "tag", "from", "to", "limit"]), parameters.ToHashSet());
    }

    [Fact]
    public async Task Root_PlainTextPointingAtTheApi()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);

        using var response = await hub.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/v1/agents", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
