using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// Fleet identity with real processes: two edge-agent processes enroll with <c>edge-agent enroll</c> against
/// a real hub in its secure mode, poll the pymodbus PLC and stream over mTLS. One renews its short-lived
/// certificate while streaming (nothing lost, nothing doubled), the other is revoked (its stream ends at
/// once and reconnects are refused) while the first keeps streaming.
/// </summary>
public sealed partial class FleetMtlsTests
{
    private const string AdminKey = "ecak_e2e-admin";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"Certificate renewed: (\w+) -> (\w+)")]
    private static partial Regex Renewed();

    [GeneratedRegex(@"Hub link down .*revoked")]
    private static partial Regex RefusedAsRevoked();

    [Fact]
    public async Task TwoAgents_EnrollStreamOverMtls_OneRenewsWithoutLossOtherRevoked()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = await SecureHub.StartAsync(folder.Sub("hub"), AdminKey, "--Fleet:CertificateLifetime=00:00:30");
        var (admin, apiPort, syncPort) = (hub.Admin, hub.ApiPort, hub.SyncPort);
        await using var renewing = await EnrollAndRunAsync(admin, folder, "e2e-renew", apiPort, syncPort, plc.Port);
        await using var revoked = await EnrollAndRunAsync(admin, folder, "e2e-revoke", apiPort, syncPort, plc.Port);
        await Eventually.TrueAsync(async () => await HighestAsync(admin, "e2e-renew") > 2 && await HighestAsync(admin, "e2e-revoke") > 2, Patience, "both agents to stream over mTLS");

        // Revocation: the live stream ends at once, reconnects are refused, the other agent is untouched.
        using (var revoke = await admin.PostAsync("/api/v1/fleet/agents/e2e-revoke/revoke", null))
        {
            revoke.EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(async () => !await OnlineAsync(admin, "e2e-revoke"), TimeSpan.FromSeconds(10), "the revoked agent's stream to end");
        await revoked.WaitForLineAsync(RefusedAsRevoked(), Patience);
        var frozenAt = await HighestAsync(admin, "e2e-revoke");

        // Renewal two thirds into the 30 s certificate, over the open stream.
        var renewal = await renewing.WaitForLineAsync(Renewed(), Patience);
        var afterRenewal = await HighestAsync(admin, "e2e-renew");
        await Eventually.TrueAsync(async () => await HighestAsync(admin, "e2e-renew") > afterRenewal + 3, Patience, "data to keep flowing after the renewal");
        var registry = await admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/e2e-renew");
        Assert.Equal(renewal.Groups[2].Value, registry.GetProperty("certificateSerial").GetString(), ignoreCase: true);

        await ConfigAndCommandsAsync(admin, renewing, plc.Port);
        Assert.Equal(frozenAt, await HighestAsync(admin, "e2e-revoke"));
        Assert.False(await OnlineAsync(admin, "e2e-revoke"));
        await renewing.StopAsync(TimeSpan.FromSeconds(30));
        await HubAssertions.AssertExactlyOnceAsync(admin, "e2e-renew", afterRenewal + 3, CrashRecoveryTests.PlcTags);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var actions = audit.EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("target").GetString()}").ToList();
        Assert.Contains("agent.enroll e2e-renew", actions);
        Assert.Contains("agent.renew e2e-renew", actions);
        Assert.Contains("agent.revoke e2e-revoke", actions);
    }

    /// <summary>A group config push and the three commands, carried out by the real agent process.</summary>
    private static async Task ConfigAndCommandsAsync(HttpClient admin, AgentProcess agent, int plcPort)
    {
        using (var labels = await admin.PutAsJsonAsync("/api/v1/fleet/agents/e2e-renew/labels", new { groups = new[] { "hall-1" } }))
        {
            labels.EnsureSuccessStatusCode();
        }

        var site = "{\"siteConfig\": { \"devices\": [ " + AgentConfigFile.PlcDevice(plcPort, pollMs: 100) + " ] } }";
        using (var push = await admin.PutAsync("/api/v1/fleet/configs/group/hall-1", new StringContent(site, System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json"))))
        {
            Assert.True(push.IsSuccessStatusCode, await push.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/e2e-renew/config")).GetProperty("reported") is { ValueKind: JsonValueKind.Object } r
                && r.GetProperty("version").GetString() == "group:hall-1:v1" && r.GetProperty("state").GetString() == "applied",
            Patience,
            "the agent to report the group config applied (live)");

        var diagnostics = await RunCommandAsync(admin, new { kind = "diagnostics", timeoutSeconds = 60 });
        Assert.Equal("succeeded", diagnostics.GetProperty("status").GetString());
        Assert.Contains("device plc", diagnostics.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var write = await RunCommandAsync(admin, new { kind = "write-tag", arguments = new { device = "nowhere", tag = "x", value = "1" }, timeoutSeconds = 30 });
        Assert.Equal("failed", write.GetProperty("status").GetString());
        Assert.Contains("no tag writer serves device 'nowhere'", write.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("group:hall-1:v1", agent.Output, StringComparison.Ordinal);

        // The alarm commands reach the agent's handler, which names what is wrong (this agent has no open alarm).
        var ack = await RunCommandAsync(admin, new { kind = "alarm.ack", arguments = new { alarmId = "no-such-alarm", user = "ops" }, timeoutSeconds = 30 });
        Assert.Equal("failed", ack.GetProperty("status").GetString());
        Assert.Contains("no open alarm 'no-such-alarm'", ack.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Restart: the result reaches the hub first, then the agent stops cleanly with 75 for systemd's Restart=on-failure.
        var restart = await RunCommandAsync(admin, new { kind = "restart", timeoutSeconds = 30 });
        Assert.Equal("succeeded", restart.GetProperty("status").GetString());
        Assert.Equal(75, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<JsonElement> RunCommandAsync(HttpClient admin, object body)
    {
        using var sent = await admin.PostAsJsonAsync("/api/v1/fleet/agents/e2e-renew/commands", body);
        var id = (await sent.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return await Eventually.ReturnsAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/commands/{id}"),
            c => c.GetProperty("status").GetString() is "succeeded" or "failed" or "timed-out",
            Patience,
            $"command {id} to end");
    }

    private static async Task<AgentProcess> EnrollAndRunAsync(HttpClient admin, TempFolder folder, string agentId, int apiPort, int syncPort, int plcPort)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder.Path, agentId)).FullName;
        var config = AgentConfigFile.Write(directory, agentId, $"https://127.0.0.1:{syncPort}", AgentConfigFile.PlcDevice(plcPort, pollMs: 100));
        await EnrollAsync(admin, config, agentId, apiPort);
        return AgentProcess.Start("run", "--config", config);
    }

    /// <summary>Enrolls the agent of <paramref name="config"/> with a fresh token, as an admin would: <c>edge-agent enroll</c>.</summary>
    internal static async Task EnrollAsync(HttpClient admin, string config, string agentId, int apiPort)
    {
        using var tokenResponse = await admin.PostAsJsonAsync("/api/v1/enrollment-tokens", new { labels = new[] { "e2e" }, lifetimeSeconds = 300 });
        var token = (await tokenResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using (var enroll = AgentProcess.Start("enroll", "--config", config, "--hub", $"http://127.0.0.1:{apiPort}", "--token", token))
        {
            var exit = await enroll.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exit == 0, $"edge-agent enroll exited with {exit}:{Environment.NewLine}{enroll.Output}");
            Assert.Contains($"Enrolled agent {agentId} in tenant default", enroll.Output, StringComparison.Ordinal);
        }
    }

    internal static async Task<ulong> HighestAsync(HttpClient admin, string agentId) =>
        await HubServer.GetAgentAsync(admin, agentId) is { } agent ? agent.GetProperty("highestSequence").GetUInt64() : 0;

    private static async Task<bool> OnlineAsync(HttpClient admin, string agentId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/agents/{agentId}")).GetProperty("online").GetBoolean();
}
