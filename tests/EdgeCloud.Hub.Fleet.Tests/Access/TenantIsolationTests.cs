using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Access;

/// <summary>
/// Strict tenant isolation, for every route there is: the test walks the hub's own OpenAPI document (so a
/// route added later is covered without touching this test) and calls each operation as tenant A's admin
/// with tenant B's ids. Nothing of B may come back, and nothing of B may change.
/// </summary>
public abstract class TenantIsolationTests
{
    /// <summary>Starts the hub on this class's fleet store backend.</summary>
    private protected abstract Task<SecureHub> StartHubAsync();

    [Fact]
    public async Task EveryRoute_OtherTenantsIds_ReturnNothingOfThatTenant()
    {
        await using var hub = await StartHubAsync();
        using var adminB = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        using var adminA = hub.Client(await hub.CreateUserAsync("tenant-a", "a-admin", "admin"));
        using var agentA = await hub.EnrollAsync("agent-of-a", adminA, "line-a");
        using var agentB = await hub.EnrollAsync("agent-of-b", adminB, "secret-label-of-b");
        await StreamOneBatchAsync(agentA);
        await StreamOneBatchAsync(agentB);
        using var labelsB = await adminB.PutAsJsonAsync("/api/v1/fleet/agents/agent-of-b/labels", new { labels = new[] { "secret-label-of-b" }, groups = new[] { "group-of-b" } });
        labelsB.EnsureSuccessStatusCode();

        var document = await adminA.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var calls = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var url = Substitute(path.Name, operation.Value);
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url);
                if (operation.Name is "post" or "put" or "patch")
                {
                    request.Content = new StringContent("""{"labels":["x"],"groups":["x"],"id":"tenant-b","role":"admin"}""", MediaTypeHeaderValue.Parse("application/json"));
                }

                using var response = await adminA.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var body = await ReadBodyAsync(response);
                calls++;
                if (response.IsSuccessStatusCode)
                {
                    Assert.False(body.Contains("agent-of-b", StringComparison.Ordinal), $"{operation.Name.ToUpperInvariant()} {url} leaked tenant B's agent: {body}");
                    Assert.False(body.Contains("secret-label-of-b", StringComparison.Ordinal), $"{operation.Name.ToUpperInvariant()} {url} leaked tenant B's labels: {body}");
                    Assert.False(body.Contains("tenant-b", StringComparison.Ordinal), $"{operation.Name.ToUpperInvariant()} {url} leaked tenant B: {body}");
                }
            }
        }

        Assert.True(calls >= 12, $"the OpenAPI document listed only {calls} operations");
        var b = await hub.Store.GetAgentAsync("agent-of-b", CancellationToken.None);
        Assert.Null(b!.RevokedAt);
        Assert.Equal(["secret-label-of-b"], b.Labels);
        Assert.Equal(["b-admin"], (await hub.Store.ListUsersAsync("tenant-b", CancellationToken.None)).Select(u => u.Id));
    }

    /// <summary>The body; an endless event stream is read for two seconds (its first events carry the current state).</summary>
    private static async Task<string> ReadBodyAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return await response.Content.ReadAsStringAsync();
        }

        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new System.Text.StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(window.Token) is { } line)
            {
                seen.AppendLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            // The window closed: what arrived is what the route would show.
        }

        return seen.ToString();
    }

    private static string Substitute(string template, JsonElement operation)
    {
        var url = template.Replace("{agentId}", "agent-of-b", StringComparison.Ordinal).Replace("{tenantId}", "tenant-b", StringComparison.Ordinal);
        var query = new List<string>();
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                query.Add(name switch
                {
                    "agent" => "agent=agent-of-b",
                    "tag" => "tag=plc/t",
                    "label" => "label=secret-label-of-b",
                    "group" => "group=group-of-b",
                    _ => null,
                } ?? string.Empty);
            }
        }

        var filled = System.Text.RegularExpressions.Regex.Replace(url, "\\{[^}]+\\}", "x");
        var joined = string.Join("&", query.Where(q => q.Length > 0));
        return joined.Length > 0 ? $"{filled}?{joined}" : filled;
    }

    private static async Task StreamOneBatchAsync(TestAgent agent)
    {
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(1) });
            Assert.Equal(1UL, (await TestAgent.ReadAsync(call)).Ack.Sequence);
        }
    }
}

/// <summary>TenantIsolationTests on SQLite (<c>fleet.db</c>).</summary>
public sealed class SqliteTenantIsolationTests : TenantIsolationTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartAsync();
}

/// <summary>TenantIsolationTests on PostgreSQL (schema <c>fleet</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTenantIsolationTests(PostgresServer server) : TenantIsolationTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartOnPostgresAsync(server);
}
