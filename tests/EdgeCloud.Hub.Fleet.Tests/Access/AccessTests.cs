using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Access;

/// <summary>Authentication, roles, read-only body fields, JWTs, the audit log and rate limits of the API.</summary>
public sealed class AccessTests
{
    [Theory]
    [InlineData("/api/v1/agents")]
    [InlineData("/api/v1/fleet/agents")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/telemetry?agent=gw-1&tag=plc/t")]
    public async Task Get_NoCredentials_Unauthorized(string path)
    {
        await using var hub = await SecureHub.StartAsync();
        using var anonymous = hub.Client(null);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownApiKey_Unauthorized()
    {
        await using var hub = await SecureHub.StartAsync();
        using var stranger = hub.Client("ecak_made-up");

        using var response = await stranger.GetAsync("/api/v1/fleet/agents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task AdminAction_ViewerOrOperator_Forbidden(string role)
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var user = hub.Client(await hub.CreateUserAsync("default", "u-" + role, role));

        using var token = await user.PostAsJsonAsync("/api/v1/enrollment-tokens", new { labels = Array.Empty<string>() });
        using var revoke = await user.PostAsync("/api/v1/fleet/agents/gw-1/revoke", null);
        using var createUser = await user.PostAsJsonAsync("/api/v1/tenants/default/users", new { id = "x", role = "admin" });
        using var audit = await user.GetAsync("/api/v1/audit");

        Assert.All([token, revoke, createUser, audit], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Null((await hub.Store.GetAgentAsync("gw-1", CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task SetLabels_Operator_AllowedAndAudited()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var user = hub.Client(await hub.CreateUserAsync("default", "op", "operator"));

        using var response = await user.PutAsJsonAsync("/api/v1/fleet/agents/gw-1/labels", new { labels = new[] { "line-3" }, groups = new[] { "berlin" } });

        response.EnsureSuccessStatusCode();
        var listed = await user.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents?group=berlin");
        Assert.Equal("gw-1", listed[0].GetProperty("agentId").GetString());
        var audit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "agent.labels" && e.GetProperty("actor").GetString() == "op");
    }

    [Theory]
    [InlineData("/api/v1/enrollment-tokens", """{"labels":[],"tenant":"other"}""", "tenant")]
    [InlineData("/api/v1/enrollment-tokens", """{"labels":[],"colour":"red"}""", "colour")]
    [InlineData("/api/v1/tenants", """{"id":"t2","role":"admin"}""", "role")]
    public async Task Post_ReadOnlyOrUnknownField_BadRequestNamingIt(string path, string body, string field)
    {
        await using var hub = await SecureHub.StartAsync();

        using var response = await hub.Admin.PostAsync(path, new StringContent(body, MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"field '{field}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutLabels_ThumbprintInBody_BadRequestAndNothingChanged()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1", null, "keep");

        using var response = await hub.Admin.PutAsync("/api/v1/fleet/agents/gw-1/labels",
            new StringContent("""{"labels":["new"],"certificateThumbprint":"00"}""", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("field 'certificateThumbprint' is read-only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["keep"], (await hub.Store.GetAgentAsync("gw-1", CancellationToken.None))!.Labels);
    }

    [Fact]
    public async Task Jwt_IssuedForApiKey_AuthenticatesAndTamperedOneDoesNot()
    {
        await using var hub = await SecureHub.StartAsync();
        using var issue = await hub.Admin.PostAsync("/api/v1/auth/token", null);
        var token = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var bearer = hub.Client(null);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var me = await bearer.GetFromJsonAsync<JsonElement>("/api/v1/auth/whoami");
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));
        using var tampered = await bearer.GetAsync("/api/v1/auth/whoami");

        Assert.Equal(("admin", "default", "admin"), (me.GetProperty("user").GetString(), me.GetProperty("tenant").GetString(), me.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task Audit_OtherTenantsEntries_NotVisible()
    {
        await using var hub = await SecureHub.StartAsync();
        using var b = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        using var agent = await hub.EnrollAsync("gw-b", b);

        var ownAudit = await b.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var rootAudit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");

        Assert.Contains(ownAudit.EnumerateArray(), e => e.GetProperty("action").GetString() == "agent.enroll" && e.GetProperty("target").GetString() == "gw-b");
        Assert.All(ownAudit.EnumerateArray(), e => Assert.Equal("tenant-b", e.GetProperty("tenant").GetString()));
        Assert.DoesNotContain(rootAudit.EnumerateArray(), e => e.GetProperty("target").GetString() == "gw-b");
    }

    [Fact]
    public async Task Api_MoreRequestsThanTheLimit_TooManyRequests()
    {
        await using var hub = await SecureHub.StartAsync("--Fleet:RequestsPerMinute=5");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await hub.Admin.GetAsync("/api/v1/auth/whoami");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
