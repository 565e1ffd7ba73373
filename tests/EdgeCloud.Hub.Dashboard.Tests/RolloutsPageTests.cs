using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeCloud.Hub.Dashboard.Tests.TestSupport;
using EdgeCloud.Hub.Fleet.Rollouts;
using static Microsoft.Playwright.Assertions;

namespace EdgeCloud.Hub.Dashboard.Tests;

/// <summary>
/// The rollouts page against the real campaigns API: a campaign made through the API (release key, signed artifact,
/// an agent enrolled with its own CSR) is shown with its stages, and its abort arrives through the event stream.
/// </summary>
public sealed class RolloutsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task RolloutsPage_CampaignCreatedThroughApi_ShowsStagesAndAbortLive()
    {
        await EnrollAsync("roll-agent-01", "line-9");
        await EnrollAsync("roll-agent-02", "line-9");
        using var releaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PostOkAsync("/api/v1/release-keys", new { name = "dashboard-release", publicKeyPem = ReleaseSignature.PublicPem(releaseKey) });
        var content = RandomNumberGenerator.GetBytes(4096);
        var signature = Convert.ToBase64String(ReleaseSignature.Sign(
            releaseKey, ReleaseSignature.Statement("model", "vibration", "2.1.0", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)))));
        using var upload = await fixture.Hub.Http.PostAsync(
            $"/api/v1/artifacts?kind=model&name=vibration&version=2.1.0&signature={Uri.EscapeDataString(signature)}", new ByteArrayContent(content));
        var artifact = await ReadOkAsync(upload);
        var campaign = await PostOkAsync("/api/v1/campaigns", new
        {
            name = "vibration 2.1.0 on line 9",
            artifactId = artifact.GetProperty("id").GetString(),
            target = new { labels = new[] { "line-9" } },
            stages = new[] { 50, 100 },
            soakSeconds = 600,
            healthWindowSeconds = 60,
        });
        var id = campaign.GetProperty("id").GetString()!;

        await using var browser = await fixture.OpenAsync();
        await browser.GotoAsync("#/rollouts");
        var card = browser.Page.Locator($"#campaigns article[data-campaign='{id}']");
        await Expect(card.Locator("h2")).ToContainTextAsync("vibration 2.1.0 on line 9");
        await Expect(card).ToContainTextAsync("model vibration 2.1.0");
        await Expect(card.Locator("[data-field='state']")).ToHaveTextAsync("running");
        var stages = card.Locator(".stage");
        await Expect(stages).ToHaveCountAsync(2);
        await Expect(stages.Nth(0).Locator("strong")).ToHaveTextAsync("50%");
        await Expect(stages.Nth(1).Locator("strong")).ToHaveTextAsync("100%");
        await Expect(stages.Nth(1).Locator("span.state")).ToHaveTextAsync("pending");
        await Expect(stages.Nth(0)).ToContainTextAsync("0/1 ok, 0 failed");
        await Expect(card.Locator("summary")).ToHaveTextAsync("2 agents");
        await browser.ScreenshotAsync(fixture.Screenshots, "rollouts.png");

        // Aborted through the API: the page learns it from the event stream.
        await PostOkAsync($"/api/v1/campaigns/{id}/abort", null);
        await Expect(card.Locator("[data-field='state']")).ToHaveTextAsync("aborted");
        Assert.Empty(browser.ScriptErrors);
    }

    /// <summary>Enrolls <paramref name="agentId"/> as an agent does: an admin's token with a label, and a CSR of its own P-256 key.</summary>
    private async Task EnrollAsync(string agentId, string label)
    {
        var token = (await PostOkAsync("/api/v1/enrollment-tokens", new { labels = new[] { label } })).GetProperty("token").GetString();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={agentId}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        await PostOkAsync("/api/v1/enroll", new { token, agentId, csr });
    }

    private async Task<JsonElement> PostOkAsync(string path, object? body)
    {
        using var response = body is null ? await fixture.Hub.Http.PostAsync(path, null) : await fixture.Hub.Http.PostAsJsonAsync(path, body);
        return await ReadOkAsync(response);
    }

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
