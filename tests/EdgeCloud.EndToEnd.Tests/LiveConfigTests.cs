using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// Site config pushed by a real hub (InsecureDevelopment, loopback) to a real agent process polling a
/// pymodbus PLC: applied live (same process, outbox sequences continuous at the hub), and reverted by the
/// agent itself when the new config stops the data.
/// </summary>
public sealed class LiveConfigTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PushConfig_AddingTag_NewTagArrivesWithoutRestartAndSequencesStayContinuous()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        await using var agent = await EnrollAndRunAsync(hub, folder, "e2e-live", Plc(plc.Port, "temperature", "counter"));
        var pid = agent.Id;
        await WaitForGoodPointsAsync(hub, "e2e-live", "plc/counter", DateTimeOffset.UtcNow.AddSeconds(-5));
        var before = (await hub.GetAgentAsync("e2e-live"))!.Value.GetProperty("highestSequence").GetUInt64();

        var pushedAt = DateTimeOffset.UtcNow;
        var version = await PushAsync(hub, "e2e-live", Plc(plc.Port, "temperature", "counter", "pressure"));
        var report = await WaitForReportAsync(hub, "e2e-live", version, "applied");
        Assert.Contains("without a restart", report.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The new tag's values (written by pymodbus as -3.25) arrive, from the same process.
        var pressure = await WaitForGoodPointsAsync(hub, "e2e-live", "plc/pressure", pushedAt.AddSeconds(-1));
        Assert.Equal(-3.25, pressure[^1].GetProperty("v").GetDouble(), precision: 6);
        Assert.False(agent.HasExited);
        Assert.Equal(pid, agent.Id);
        Assert.Equal(version, (await File.ReadAllTextAsync(Path.Combine(folder.Path, "data", "site-config", "version"))).Trim());

        // The old tags kept flowing across the swap, and the outbox never stopped: every sequence from 1 to the
        // highest is at the hub exactly once, across the change.
        await WaitForGoodPointsAsync(hub, "e2e-live", "plc/counter", pushedAt.AddSeconds(2));
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
        var after = await Eventually.ReturnsAsync(
            async () => (await hub.GetAgentAsync("e2e-live"))!.Value,
            a => a.GetProperty("online").GetBoolean() == false,
            Patience,
            "the agent to show offline with everything delivered");
        Assert.True(after.GetProperty("highestSequence").GetUInt64() > before + 2, after.ToString());
        await HubAssertions.AssertExactlyOnceAsync(hub, "e2e-live", before + 2, ["plc/temperature", "plc/counter", "plc/pressure"]);
    }

    [Fact]
    public async Task PushConfig_DeadDevice_AgentRevertsByItselfAndReportsAndOldTagsFlowAgain()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        await using var agent = await EnrollAndRunAsync(hub, folder, "e2e-revert", Plc(plc.Port, "temperature", "counter"));
        await WaitForGoodPointsAsync(hub, "e2e-revert", "plc/counter", DateTimeOffset.UtcNow.AddSeconds(-5));

        // Same device name, a port nobody listens on: valid at the hub, dead at the agent.
        var version = await PushAsync(hub, "e2e-revert", Plc(FreePort.Next(), "temperature", "counter"));
        await WaitForReportAsync(hub, "e2e-revert", version, "applied");
        var report = await WaitForReportAsync(hub, "e2e-revert", version, "reverted");
        var revertedAt = DateTimeOffset.UtcNow;
        Assert.Contains("reverted to local", report.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("plc", report.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The local config runs again (its file: no hub config stored), in the same process, and the PLC's
        // good values arrive again.
        Assert.False(File.Exists(Path.Combine(folder.Path, "data", "site-config", "site.json")));
        await WaitForGoodPointsAsync(hub, "e2e-revert", "plc/counter", revertedAt);
        Assert.False(agent.HasExited);

        // The hub sends the reverted version again at the next connect; the agent does not apply it again.
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
        await using var again = AgentProcess.Start("run", "--config", Path.Combine(folder.Path, "agent.json"), "--LiveConfig:GraceSeconds=6");
        await again.WaitForLineAsync(new System.Text.RegularExpressions.Regex("this version was reverted by the agent"), Patience);
        await WaitForGoodPointsAsync(hub, "e2e-revert", "plc/counter", DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task PushConfig_AgentKilledInsideGracePeriod_WatchResumesAfterRestartAndReverts()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var agent = await EnrollAndRunAsync(hub, folder, "e2e-resume", Plc(plc.Port, "counter"));
        try
        {
            await WaitForGoodPointsAsync(hub, "e2e-resume", "plc/counter", DateTimeOffset.UtcNow.AddSeconds(-5));
            var version = await PushAsync(hub, "e2e-resume", Plc(FreePort.Next(), "counter"));
            await WaitForReportAsync(hub, "e2e-resume", version, "applied");

            // SIGKILL inside the grace period: the dead config is on disk and runs at the next start.
            await agent.KillAsync();
            Assert.True(File.Exists(Path.Combine(folder.Path, "data", "site-config", "watch.json")));
        }
        finally
        {
            await agent.DisposeAsync();
        }

        await using var restarted = AgentProcess.Start("run", "--config", Path.Combine(folder.Path, "agent.json"), "--LiveConfig:GraceSeconds=6");
        await restarted.WaitForLineAsync(new System.Text.RegularExpressions.Regex("started inside its grace period"), Patience);
        var report = await WaitForReportAsync(hub, "e2e-resume", (await hub.Http.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/e2e-resume/config")).GetProperty("desiredVersion").GetString()!, "reverted");
        Assert.Contains("no good data", report.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await WaitForGoodPointsAsync(hub, "e2e-resume", "plc/counter", DateTimeOffset.UtcNow);
        Assert.False(File.Exists(Path.Combine(folder.Path, "data", "site-config", "watch.json")));
    }

    [Fact]
    public async Task ApplyConfig_InvalidSite_RefusedWithEveryErrorNeverStoredAndOldSiteRunsOn()
    {
        // The hub refuses such a config before sending it (ConfigPushTests); this is the agent's own guard, on
        // the agent host composed as the edge-agent executable does, with a real PLC and a real outbox.
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        var path = AgentConfigFile.Write(folder.Path, "e2e-refuse", $"http://127.0.0.1:{FreePort.Next()}", Plc(plc.Port, "counter"));
        var config = EdgeCloud.Edge.Configuration.ConfigLoader.Load(path) with { Status = new EdgeCloud.Edge.Configuration.StatusEndpointConfig(null) };
        using var host = EdgeCloud.Edge.Agent.Hosting.AgentHost.CreateBuilder(config).Build();
        await host.StartAsync();
        try
        {
            var outbox = (EdgeCloud.Edge.Outbox.IOutbox)host.Services.GetService(typeof(EdgeCloud.Edge.Outbox.IOutbox))!;
            var applier = (EdgeCloud.Edge.Sync.Directives.ISiteConfigApplier)host.Services.GetService(typeof(EdgeCloud.Edge.Sync.Directives.ISiteConfigApplier))!;
            await Eventually.TrueAsync(() => Task.FromResult(outbox.LastDurableSequence > 0), Patience, "the first batch");

            const string bad = """{ "devices": [ { "name": "plc", "protocol": "modbus-tcp", "port": 70000, "unitId": 1, "tags": [] } ] }""";
            var report = await applier.ApplyAsync("v-bad", bad, CancellationToken.None);

            Assert.Equal("refused", report.State);
            Assert.False(report.Applied);
            Assert.Contains("host", report.Detail, StringComparison.Ordinal);
            Assert.Contains("port", report.Detail, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(folder.Path, "data", "site-config")) && File.Exists(Path.Combine(folder.Path, "data", "site-config", "site.json")));
            var after = outbox.LastDurableSequence;
            await Eventually.TrueAsync(() => Task.FromResult(outbox.LastDurableSequence > after + 2), Patience, "the old site to keep producing batches");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A PLC device (Peers/plc.py) with the named tags of <see cref="AgentConfigFile.PlcDevice"/>.</summary>
    private static string Plc(int port, params string[] tags)
    {
        var device = JsonDocument.Parse(AgentConfigFile.PlcDevice(port, pollMs: 100)).RootElement;
        var chosen = device.GetProperty("tags").EnumerateArray().Where(t => tags.Contains(t.GetProperty("name").GetString())).Select(t => t.GetRawText());
        return $$"""
            { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{port}}, "unitId": 1, "pollIntervalMs": 100, "timeoutMs": 300,
              "tags": [ {{string.Join(",", chosen)}} ] }
            """;
    }

    private static async Task<AgentProcess> EnrollAndRunAsync(HubServer hub, TempFolder folder, string agentId, string device)
    {
        // Enrolled (so that the fleet API knows the agent and can push to it), then on the cleartext sync port.
        using var tokenResponse = await hub.Http.PostAsJsonAsync("/api/v1/enrollment-tokens", new { labels = new[] { "e2e" }, lifetimeSeconds = 300 });
        var token = (await tokenResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var config = AgentConfigFile.Write(folder.Path, agentId, hub.SyncUrl, device);
        await using (var enroll = AgentProcess.Start("enroll", "--config", config, "--hub", $"http://127.0.0.1:{hub.ApiPort}", "--token", token))
        {
            Assert.True(await enroll.WaitForExitAsync(Patience) == 0, enroll.Output);
        }

        return AgentProcess.Start("run", "--config", config, "--LiveConfig:GraceSeconds=6", "--LiveConfig:LinkLossSeconds=20");
    }

    private static async Task<string> PushAsync(HubServer hub, string agentId, string device)
    {
        using var content = new StringContent($$"""{ "siteConfig": { "devices": [ {{device}} ] } }""", System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json"));
        using var pushed = await hub.Http.PutAsync($"/api/v1/fleet/configs/agent/{agentId}", content);
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        return (await pushed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString()!;
    }

    private static Task<JsonElement> WaitForReportAsync(HubServer hub, string agentId, string version, string state) =>
        Eventually.ReturnsAsync(
            async () => (await hub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/agents/{agentId}/config")).GetProperty("reported"),
            r => r.ValueKind == JsonValueKind.Object && r.GetProperty("version").GetString() == version && r.GetProperty("state").GetString() == state,
            Patience,
            $"the agent to report {version} {state}");

    private static Task<List<JsonElement>> WaitForGoodPointsAsync(HubServer hub, string agentId, string tag, DateTimeOffset from) =>
        Eventually.ReturnsAsync(
            async () => (await hub.GetTelemetryAsync(agentId, tag, from, DateTimeOffset.UtcNow.AddMinutes(1))).GetProperty("points").EnumerateArray()
                .Where(p => p.GetProperty("q").GetString() == "good").ToList(),
            points => points is { Count: >= 3 },
            Patience,
            $"good points of {tag} from {from:O} at the hub");
}
