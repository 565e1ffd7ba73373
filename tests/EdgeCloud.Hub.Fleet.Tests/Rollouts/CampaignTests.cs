using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>
/// Staged campaigns over hundreds of light agents, each a real mTLS sync stream to a real hub on loopback
/// that answers directives with RolloutProgress and reports AgentHealth: promotion when all succeed, the
/// pause when a stage's failures pass the threshold (and no later stage touched), resume and abort.
/// </summary>
public sealed class CampaignTests
{
    private static readonly string[] FastHub = ["--Rollouts:TickInterval=00:00:00.100", "--Rollouts:ChunkSize=4096", "--Fleet:RequestsPerMinute=100000"];

    [Fact]
    public async Task Campaign_AllAgentsSucceed_EveryStagePromotedInOrder()
    {
        const int Count = 200;
        await using var hub = await SecureHub.StartAsync(FastHub);
        await using var fleet = await SimulatedFleet.StartAsync(hub, Count, "line-1");
        var artifactId = await fleet.UploadAsync();
        using var events = new CampaignEventReader(hub.Admin);

        var id = await CreateAsync(hub.Admin, artifactId, new { labels = new[] { "line-1" } }, [1, 10, 50, 100]);
        var done = await WaitForStateAsync(hub.Admin, id, "completed", TimeSpan.FromSeconds(60));

        Assert.All(done.GetProperty("stages").EnumerateArray(), s => Assert.Equal(("promoted", 0), (s.GetProperty("state").GetString(), s.GetProperty("failed").GetInt32())));
        Assert.Equal([2, 18, 80, 100], done.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("agents").GetInt32()));
        Assert.All(done.GetProperty("agents").EnumerateArray(), a => Assert.Equal(("healthy", "1.2.3"), (a.GetProperty("state").GetString(), a.GetProperty("runningVersion").GetString())));

        // The download's bytes stay on view after the reports that followed it (they carry none).
        var size = done.GetProperty("artifact").GetProperty("size").GetInt64();
        Assert.All(done.GetProperty("agents").EnumerateArray(), a => Assert.Equal(size, a.GetProperty("bytesDone").GetInt64()));
        Assert.All(fleet.Agents, a => Assert.Single(a.Directives));

        // Stage order: no agent of a stage got its directive before every agent of the stage before it was healthy,
        // which the audit log's promotions witness, and the live stream saw the campaign complete.
        var audit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Equal(3, audit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "campaign.promote" && e.GetProperty("target").GetString() == id));
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "campaign.complete" && e.GetProperty("actor").GetString() == "system");
        await events.WaitForAsync(id, "completed");
    }

    [Fact]
    public async Task Campaign_ThirtyPercentOfStageTwoFail_PausesAndLaterStagesUntouchedUntilResumed()
    {
        const int Count = 100;
        await using var hub = await SecureHub.StartAsync(FastHub);
        await using var fleet = await SimulatedFleet.StartAsync(hub, Count, "line-1");
        foreach (var agent in fleet.Agents)
        {
            await ConfigPushGroupAsync(hub, agent.AgentId, "plant-a");
        }

        var artifactId = await fleet.UploadAsync();

        // Stage two (index 1) gets 10 agents: two fail their install, one succeeds and then produces no data
        // (the health gate must catch it): 30%, above the default threshold of 20%. Agents wait for the
        // recorded plan before they answer their directive.
        var planned = new TaskCompletionSource();
        List<string> stageTwo = [];
        foreach (var agent in fleet.Agents)
        {
            agent.Decide = async a =>
            {
                await planned.Task;
                return stageTwo.IndexOf(a.AgentId) switch { 0 or 1 => SimulatedOutcome.FailInstall, 2 => SimulatedOutcome.StopProducing, _ => SimulatedOutcome.Succeed };
            };
        }

        var id = await CreateAsync(hub.Admin, artifactId, new { group = "plant-a" }, [10, 20, 50, 100], soakSeconds: 1);
        var plan = await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}");
        var stageOf = plan.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("agentId").GetString()!, a => a.GetProperty("stage").GetInt32());
        stageTwo = [.. stageOf.Where(p => p.Value == 1).Select(p => p.Key)];
        planned.SetResult();

        var paused = await WaitForStateAsync(hub.Admin, id, "paused", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten scheduler ticks: nothing more may go out while paused

        Assert.Equal(10, stageTwo.Count);
        Assert.Equal(10, fleet.Agents.Count(a => !a.Directives.IsEmpty && stageOf[a.AgentId] == 1));
        Assert.Equal(["promoted", "failed", "pending", "pending"], paused.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(3, paused.GetProperty("stages")[1].GetProperty("failed").GetInt32());
        Assert.Contains(paused.GetProperty("agents").EnumerateArray(), a => a.GetProperty("state").GetString() == "unhealthy" && a.GetProperty("reason").GetString() == "no_data");
        Assert.All(fleet.Agents.Where(a => stageOf[a.AgentId] >= 2), a => Assert.Empty(a.Directives));

        // A viewer or an operator may not resume; an admin may, and the next stage starts.
        using var viewer = hub.Client(await hub.CreateUserAsync(FleetOptions.RootTenant, "viewer", "viewer"));
        using var operatorClient = hub.Client(await hub.CreateUserAsync(FleetOptions.RootTenant, "op", "operator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/campaigns/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync($"/api/v1/campaigns/{id}/abort", null)).StatusCode);
        (await hub.Admin.PostAsync($"/api/v1/campaigns/{id}/resume", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Task.FromResult(fleet.Agents.Any(a => stageOf[a.AgentId] == 2 && !a.Directives.IsEmpty)), "stage three to get directives", TimeSpan.FromSeconds(20));

        (await hub.Admin.PostAsync($"/api/v1/campaigns/{id}/abort", null)).EnsureSuccessStatusCode();
        var aborted = await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal("aborted", aborted.GetProperty("state").GetString());
        Assert.All(fleet.Agents.Where(a => stageOf[a.AgentId] == 3), a => Assert.Empty(a.Directives));
        Assert.Equal(HttpStatusCode.Conflict, (await hub.Admin.PostAsync($"/api/v1/campaigns/{id}/resume", null)).StatusCode);
        var audit = (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Where(e => e.GetProperty("target").GetString() == id).ToList();
        Assert.Contains(audit, e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("result").GetString()) == ("campaign.pause", "system", "ok"));
        Assert.Contains(audit, e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("result").GetString()) == ("campaign.resume", "admin", "ok"));
        Assert.Contains(audit, e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("result").GetString()) == ("campaign.abort", "admin", "ok"));
        Assert.Contains(audit, e => (e.GetProperty("action").GetString(), e.GetProperty("result").GetString()) == ("campaign.resume", "refused"));
    }

    [Fact]
    public async Task Campaign_ThreeOfTenAgentsFallSilent_FailedNoReportAfterTheTimeoutAndPaused()
    {
        const int Count = 10;
        await using var hub = await SecureHub.StartAsync(FastHub);
        await using var fleet = await SimulatedFleet.StartAsync(hub, Count, "line-1");
        var artifactId = await fleet.UploadAsync();
        var silent = fleet.Agents.Take(3).Select(a => a.AgentId).ToHashSet();
        foreach (var agent in fleet.Agents)
        {
            agent.Decide = a => Task.FromResult(silent.Contains(a.AgentId) ? SimulatedOutcome.Silent : SimulatedOutcome.Succeed);
        }

        var id = await CreateAsync(hub.Admin, artifactId, new { labels = new[] { "line-1" } }, [100], reportTimeoutSeconds: 3);
        var paused = await WaitForStateAsync(hub.Admin, id, "paused", TimeSpan.FromSeconds(30));

        // Only the silent three failed, each with no_report, and only once their silence outlasted the timeout.
        var agents = paused.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(3, paused.GetProperty("reportTimeoutSeconds").GetInt32());
        Assert.Equal(silent, agents.Where(a => (a.GetProperty("state").GetString(), a.GetProperty("reason").GetString()) == ("failed", "no_report"))
            .Select(a => a.GetProperty("agentId").GetString()!).ToHashSet());
        Assert.All(agents.Where(a => !silent.Contains(a.GetProperty("agentId").GetString()!)), a => Assert.Contains(a.GetProperty("state").GetString(), new[] { "soaking", "healthy" }));
        Assert.All(agents.Where(a => silent.Contains(a.GetProperty("agentId").GetString()!)), a => Assert.Contains("no progress report within 3 s", a.GetProperty("detail").GetString(), StringComparison.Ordinal));
        var audit = (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Where(e => e.GetProperty("target").GetString() == id).ToList();
        Assert.Equal(silent, audit.Where(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString()) == ("campaign.no_report", "system"))
            .Select(e => e.GetProperty("detail").GetString()!.Split(' ', ':')[1]).ToHashSet());
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "campaign.pause");
        var byCreation = audit.Single(e => e.GetProperty("action").GetString() == "campaign.create").GetProperty("time").GetDateTimeOffset();
        Assert.All(audit.Where(e => e.GetProperty("action").GetString() == "campaign.no_report"), e => Assert.True(e.GetProperty("time").GetDateTimeOffset() - byCreation >= TimeSpan.FromSeconds(3), e.ToString()));
    }

    [Fact]
    public async Task Campaign_BadBodyViewerOperatorAndOtherTenant_RefusedOrSeeNothing()
    {
        await using var hub = await SecureHub.StartAsync(FastHub);
        await using var fleet = await SimulatedFleet.StartAsync(hub, 2, "line-1");
        var artifactId = await fleet.UploadAsync();
        using var viewer = hub.Client(await hub.CreateUserAsync(FleetOptions.RootTenant, "viewer", "viewer"));
        using var operatorClient = hub.Client(await hub.CreateUserAsync(FleetOptions.RootTenant, "op", "operator"));
        using var other = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        var body = new { name = "r", artifactId, target = new { labels = new[] { "line-1" } }, stages = new[] { 100 }, soakSeconds = 1 };

        using var notClimbing = await hub.Admin.PostAsJsonAsync("/api/v1/campaigns", new { name = "r", artifactId, target = new { labels = new[] { "line-1" } }, stages = new[] { 50, 10, 100 } });
        using var twoTargets = await hub.Admin.PostAsJsonAsync("/api/v1/campaigns", new { name = "r", artifactId, target = new { labels = new[] { "line-1" }, group = "g" } });
        using var noMatch = await hub.Admin.PostAsJsonAsync("/api/v1/campaigns", new { name = "r", artifactId, target = new { group = "nobody" } });
        using var noTimeout = await hub.Admin.PostAsJsonAsync("/api/v1/campaigns", new { name = "r", artifactId, target = new { labels = new[] { "line-1" } }, reportTimeoutSeconds = 0 });
        using var byViewer = await viewer.PostAsJsonAsync("/api/v1/campaigns", body);
        using var byOperator = await operatorClient.PostAsJsonAsync("/api/v1/campaigns", body);
        using var byOther = await other.PostAsJsonAsync("/api/v1/campaigns", body);
        var id = await CreateAsync(hub.Admin, artifactId, new { labels = new[] { "line-1" } }, [100]);

        Assert.Contains("'stages' must be cumulative", await notClimbing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("'target' must name either", await twoTargets.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("matches no enrolled agent", await noMatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noTimeout.StatusCode);
        Assert.Contains("field 'reportTimeoutSeconds' must be from 1 to 604800, not 0", await noTimeout.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, byOther.StatusCode); // tenant B has no such artifact
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/campaigns/{id}/abort", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/artifacts/{artifactId}")).StatusCode);
        Assert.Equal("[]", await other.GetStringAsync("/api/v1/campaigns"));
        Assert.Equal("[]", await other.GetStringAsync("/api/v1/artifacts"));
        Assert.Equal("[]", await other.GetStringAsync("/api/v1/release-keys"));
        using var otherEvents = new CampaignEventReader(other);
        await WaitForStateAsync(hub.Admin, id, "completed", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(id, await otherEvents.ReadForAsync(TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
    }

    internal static async Task<string> CreateAsync(HttpClient admin, string artifactId, object target, int[] stages, int soakSeconds = 1, int? reportTimeoutSeconds = null)
    {
        var body = new Dictionary<string, object> { ["name"] = "roll 1.2.3", ["artifactId"] = artifactId, ["target"] = target, ["stages"] = stages, ["soakSeconds"] = soakSeconds, ["healthWindowSeconds"] = 60 };
        if (reportTimeoutSeconds is { } timeout)
        {
            body["reportTimeoutSeconds"] = timeout;
        }

        using var response = await admin.PostAsJsonAsync("/api/v1/campaigns", body);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, answer);
        return JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString()!;
    }

    internal static async Task<JsonElement> WaitForStateAsync(HttpClient client, string id, string state, TimeSpan timeout)
    {
        var view = default(JsonElement);
        await Eventually.TrueAsync(
            async () => (view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}")).GetProperty("state").GetString() == state,
            $"campaign {id} to be {state}",
            timeout);
        return view;
    }

    private static async Task ConfigPushGroupAsync(SecureHub hub, string agentId, string group)
    {
        using var response = await hub.Admin.PutAsJsonAsync($"/api/v1/fleet/agents/{agentId}/labels", new { labels = new[] { "line-1" }, groups = new[] { group } });
        response.EnsureSuccessStatusCode();
    }
}
