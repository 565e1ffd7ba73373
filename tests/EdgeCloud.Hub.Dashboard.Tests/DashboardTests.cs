using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Dashboard.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeCloud.Hub.Dashboard.Tests;

/// <summary>
/// The dashboard in headless Chromium against a real hub on loopback, fed by light agents over the hub's real
/// gRPC sync stream (Hello, health, stored batches, the live lane, alarm events). Each test uses its own agent id.
/// </summary>
public sealed class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FleetPage_StreamingAgent_ShowsOnlineTileWithHealthAndBacklog()
    {
        using var agent = await fixture.Hub.ConnectAsync("press-01");
        await agent.SendAsync(new AgentMessage
        {
            Health = new AgentHealth
            {
                TimeUnixNano = (ulong)NowNanos(),
                OutboxBatches = 17,
                OutboxBytes = 48_128,
                PollErrors = 4,
                ClockSynchronized = true,
                BacklogBatches = 17,
                BacklogEtaSeconds = 95,
            },
        });
        await agent.SendBatchAsync(Batch(1, Number("plc/temp", 21.5)));
        await WaitForHealthAsync("press-01");

        await using var browser = await fixture.OpenAsync();
        await browser.GotoAsync("#/fleet");
        var tile = browser.Page.Locator("[data-agent='press-01']");
        await Expect(tile).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bonline\\b"));
        await Expect(tile.Locator("[data-field='online']")).ToHaveTextAsync("online");
        await Expect(tile).ToContainTextAsync("17 batches, 47.0 KiB");
        await Expect(tile).ToContainTextAsync("17 batches, ETA 2 min");
        await Expect(tile).ToContainTextAsync("synchronized");
        await Expect(tile.Locator("dd.bad")).ToHaveTextAsync("4");
        await browser.ScreenshotAsync(fixture.Screenshots, "fleet.png");

        await browser.GotoAsync("#/backlog");
        var row = browser.Page.Locator("#backlog-rows tr[data-agent='press-01']");
        await Expect(row.Locator("td.num").First).ToHaveTextAsync("17");
        await browser.ScreenshotAsync(fixture.Screenshots, "backlog.png");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task AgentPage_LiveLaneAndStoredBatch_ValueChangesOnScreen()
    {
        using var agent = await fixture.Hub.ConnectAsync("mixer-02");
        var start = NowNanos() - 60_000_000_000L;
        var history = new TelemetryBatch { Sequence = 1 };
        for (var i = 0; i < 30; i++)
        {
            history.Points.Add(Number("plc/speed", 100 + i, start + (i * 2_000_000_000L)));
        }

        history.Points.Add(Number("plc/mode", 1, start));
        await agent.SendBatchAsync(history);

        await using var browser = await fixture.OpenAsync();
        await browser.GotoAsync("#/agent/mixer-02");
        var speed = browser.Page.Locator("#tag-rows tr[data-tag='plc/speed'] [data-field='value']");
        await Expect(speed).ToHaveTextAsync("129");
        await Expect(browser.Page.Locator("#live-state")).ToHaveTextAsync("live");
        await Expect(browser.Page.Locator("#chart-tag")).ToHaveTextAsync("plc/mode");
        await browser.Page.Locator("#tag-rows tr[data-tag='plc/speed']").ClickAsync();
        await Expect(browser.Page.Locator("#chart-tag")).ToHaveTextAsync("plc/speed");
        await Expect(browser.Page.Locator("#chart svg")).ToHaveAttributeAsync("data-points", "30");

        // The live lane (not stored): the value on screen changes without a reload, and the chart grows.
        await agent.SendAsync(new AgentMessage { Live = new LiveSnapshot { Points = { Number("plc/speed", 123.25) } } });
        await Expect(speed).ToHaveTextAsync("123.25");
        await Expect(browser.Page.Locator("#chart svg")).ToHaveAttributeAsync("data-points", "31");
        await Expect(browser.Page.Locator("#tag-rows tr[data-tag='plc/speed']")).ToContainTextAsync("(live)");

        // Then a stored batch with a newer value.
        await agent.SendBatchAsync(Batch(2, Number("plc/speed", 140.5, NowNanos() + 1_000_000)));
        await Expect(speed).ToHaveTextAsync("140.5");
        await browser.ScreenshotAsync(fixture.Screenshots, "agent.png");

        // History at another resolution comes from the telemetry API's rollups.
        await browser.Page.Locator("#resolution").SelectOptionAsync("1m");
        await Expect(browser.Page.Locator("#chart-note")).ToHaveTextAsync("1m");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task PhoneViewport_FleetAndAgentPages_FitTheScreenWidth()
    {
        using var agent = await fixture.Hub.ConnectAsync("pump-03");
        await agent.SendBatchAsync(Batch(1, Number("plc/pressure", 4.2)));

        await using var phone = await fixture.OpenAsync(390, 844, phone: true);
        await phone.GotoAsync("#/fleet");
        var tile = phone.Page.Locator("[data-agent='pump-03']");
        await Expect(tile).ToBeVisibleAsync();
        var box = await tile.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the tile spans {box.X}..{box.X + box.Width}, wider than the 390 px screen");
        Assert.True(await FitsWidthAsync(phone.Page), "the fleet page scrolls sideways on a 390 px screen");
        await phone.ScreenshotAsync(fixture.Screenshots, "fleet-phone.png");

        await tile.Locator("a").ClickAsync();
        await Expect(phone.Page.Locator("#tag-rows tr[data-tag='plc/pressure'] [data-field='value']")).ToHaveTextAsync("4.2");
        Assert.True(await FitsWidthAsync(phone.Page), "the agent page scrolls sideways on a 390 px screen");
        await phone.ScreenshotAsync(fixture.Screenshots, "agent-phone.png");
        Assert.Empty(phone.ScriptErrors);
    }

    [Fact]
    public async Task AlarmsPage_AgentRaisesAlarm_EventShownLive()
    {
        using var agent = await fixture.Hub.ConnectAsync("oven-04");
        await agent.SendBatchAsync(Batch(1, Number("plc/temp", 20)));

        await using var browser = await fixture.OpenAsync();
        await browser.GotoAsync("#/alarms");
        await Expect(browser.Page.Locator("#alarm-live-state")).ToHaveTextAsync("live");

        var alarm = AlarmEvents.Batch(2, AlarmEvents.Create(
            "oven-04-temp-high-1", "plc/temp", "raised", "active", 800, eventNumber: 1, NowNanos(), "oven above 250 degC", "temp-high", 251));
        await agent.SendBatchAsync(alarm);

        var row = browser.Page.Locator("#alarm-event-rows tr[data-alarm='oven-04-temp-high-1']");
        await Expect(row).ToContainTextAsync("oven above 250 degC", new() { Timeout = (float)UiTimeout.TotalMilliseconds });
        await Expect(row).ToContainTextAsync("raised");
        await Expect(row.Locator(".sev")).ToHaveClassAsync("sev high");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task AlarmsPage_AgentAlarmAcknowledgedThenCleared_IncidentAcknowledgedAuditedThenResolvedLive()
    {
        using var agent = await fixture.Hub.ConnectAsync("press-06");
        await using var browser = await fixture.OpenAsync();
        var listLoads = 0;
        browser.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/incidents?", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref listLoads);
            }
        };
        await browser.GotoAsync("#/alarms");
        await Expect(browser.Page.Locator("#incident-live-state")).ToHaveTextAsync("live");

        // The agent's alarm goes active: the hub's alarm feed opens an incident, which the page shows.
        await agent.SendBatchAsync(AlarmBatch(1, "press-06-temp-high", "active", "press temperature above 80 degC"));
        var id = await WaitForIncidentAsync("press-06");
        var row = browser.Page.Locator($"#incident-rows tr[data-incident='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "open");
        await Expect(row).ToContainTextAsync("press temperature above 80 degC");

        await row.Locator("button[data-action='acknowledge']").ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-state", "acknowledged");
        await Expect(row.Locator("button[data-action='acknowledge']")).ToHaveCountAsync(0);
        var incident = await fixture.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(("acknowledged", "admin"), (incident.GetProperty("state").GetString(), incident.GetProperty("acknowledgedBy").GetString()));
        await Expect(row).ToContainTextAsync("by admin");
        var audit = await fixture.Hub.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/audit");
        Assert.Contains(
            audit!,
            a => a.GetProperty("action").GetString() == "incident.acknowledge" && a.GetProperty("target").GetString() == $"incident/{id}"
                && a.GetProperty("actor").GetString() == "admin" && a.GetProperty("result").GetString() == "ok");
        await browser.ScreenshotAsync(fixture.Screenshots, "alarms.png");

        // Show resolved incidents too; the list this loads is answered before the alarm clears.
        await browser.Page.RunAndWaitForResponseAsync(
            () => browser.Page.Locator("#incident-state").SelectOptionAsync("all"),
            response => response.Url.Contains("/api/v1/incidents?", StringComparison.Ordinal) && response.Ok);
        var loadsBeforeClear = Volatile.Read(ref listLoads);

        // The cleared event resolves it; the page learns it from the event stream, without loading the list again.
        await agent.SendBatchAsync(AlarmBatch(2, "press-06-temp-high", "cleared", "press temperature back to normal"));
        await Expect(row).ToHaveAttributeAsync("data-state", "resolved");
        await Expect(row.Locator("button")).ToHaveCountAsync(0);
        Assert.Equal(loadsBeforeClear, Volatile.Read(ref listLoads));
        Assert.Equal("resolved", (await fixture.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("state").GetString());
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task Pages_StrictContentSecurityPolicy_NoViolationAndInlineScriptBlocked()
    {
        using var response = await fixture.Hub.Http.GetAsync("/dashboard/");
        response.EnsureSuccessStatusCode();
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);

        using var agent = await fixture.Hub.ConnectAsync("csp-05");
        await agent.SendBatchAsync(Batch(1, Number("plc/level", 50)));
        await using var browser = await fixture.OpenAsync();
        foreach (var hash in new[] { "#/fleet", "#/agent/csp-05", "#/alarms", "#/rollouts", "#/backlog" })
        {
            await browser.GotoAsync(hash);
            await Expect(browser.Page.Locator("main h1")).ToBeVisibleAsync();
        }

        // This hub has no campaigns yet: the rollouts page says so once the list is loaded.
        await browser.GotoAsync("#/rollouts");
        await Expect(browser.Page.Locator("#campaigns")).ToHaveTextAsync("No campaigns yet.");
        await Expect(browser.Page.Locator("#nav-rollouts")).ToBeVisibleAsync();
        Assert.Empty(browser.ScriptErrors);

        // The policy is enforced: an injected inline script does not run, and the browser reports the violation.
        var ran = await browser.Page.EvaluateAsync<bool>("""
            () => { const s = document.createElement('script'); s.textContent = 'window.injected = true;'; document.body.append(s); return window.injected === true; }
            """);
        Assert.False(ran);
        await Expect(browser.Page.Locator("body")).ToBeVisibleAsync();
        Assert.Contains(browser.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_RefusedKeyThenAdminKey_KeptInSessionAndSentAsApiKeyHeader()
    {
        await using var browser = await fixture.OpenAsync(credential: "ecak_not-a-key");
        var sentKeys = new System.Collections.Concurrent.ConcurrentQueue<string>();
        browser.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/agents", StringComparison.Ordinal) && request.Headers.TryGetValue("x-api-key", out var key))
            {
                sentKeys.Enqueue(key);
            }
        };
        await browser.GotoAsync("#/fleet");
        await Expect(browser.Page.Locator("#signin")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#signin-error")).ToContainTextAsync("refused");

        await browser.Page.Locator("#credential").FillAsync(DashboardFixture.AdminKey);
        await browser.Page.Locator("#signin-form button[type='submit']").ClickAsync();

        await Expect(browser.Page.Locator("#signin")).ToBeHiddenAsync();
        await Expect(browser.Page.Locator("#fleet-map")).ToBeVisibleAsync();
        Assert.Equal(DashboardFixture.AdminKey, await browser.Page.EvaluateAsync<string>("() => sessionStorage.getItem('edgecloud.credential')"));
        Assert.Contains(DashboardFixture.AdminKey, sentKeys);
        Assert.Contains("ecak_not-a-key", sentKeys);

        await browser.Page.Locator("#sign-out").ClickAsync();
        await Expect(browser.Page.Locator("#signin")).ToBeVisibleAsync();
        Assert.Null(await browser.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('edgecloud.credential')"));
    }

    private static async Task<bool> FitsWidthAsync(IPage page) =>
        await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    private async Task WaitForHealthAsync(string agentId)
    {
        var deadline = DateTime.UtcNow + UiTimeout;
        while (true)
        {
            var agent = await fixture.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{agentId}");
            if (agent.GetProperty("health").ValueKind == JsonValueKind.Object)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the hub never showed {agentId}'s health report");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls the incidents API until the agent has one; its id (a number).</summary>
    private async Task<long> WaitForIncidentAsync(string agentId)
    {
        var deadline = DateTime.UtcNow + UiTimeout;
        while (true)
        {
            var incidents = await fixture.Hub.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/incidents?agentId={agentId}");
            if (incidents is [var incident, ..])
            {
                return incident.GetProperty("id").GetInt64();
            }

            Assert.True(DateTime.UtcNow < deadline, $"the hub opened no incident for {agentId}'s alarm");
            await Task.Delay(50);
        }
    }

    /// <summary>A stored batch carrying one alarm event of the press's temperature alarm (event number = sequence).</summary>
    private static TelemetryBatch AlarmBatch(ulong sequence, string alarmId, string state, string message)
    {
        var batch = Batch(sequence, Number("plc/temp", state == "active" ? 85 : 60));
        batch.Alarms.Add(AlarmEvents.Create(
            alarmId, "plc/temp", state == "active" ? "raised" : state, state, 800, eventNumber: sequence, NowNanos(), message, "temp-high", state == "active" ? 85 : 60));
        return batch;
    }

    private static long NowNanos() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static Point Number(string tag, double value, long? nanos = null) =>
        new() { Tag = tag, TimeUnixNano = (ulong)(nanos ?? NowNanos()), Number = value, Quality = Quality.Good };

    private static TelemetryBatch Batch(ulong sequence, params Point[] points)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        batch.Points.AddRange(points);
        return batch;
    }
}
