using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;
using Packages = EdgeCloud.Edge.Updates.Tests.Fixtures.Packages;
using ReleaseKey = EdgeCloud.Edge.Updates.Tests.Fixtures.ReleaseKey;
using UnitSupervisor = EdgeCloud.Edge.Updates.Tests.Fixtures.UnitSupervisor;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// Both halves of rollouts together (docs/rollouts.md): a real hub in its mTLS mode, a release key registered there
/// and trusted by both agents, two enrolled agent processes run by the real launcher (restarted as systemd would),
/// each in its own group with its own campaign. The good build is installed, soaked and judged healthy while data
/// flows exactly once across the switch; the bad build crash-loops, the launcher switches back by itself, the old
/// build reports <c>rolled_back</c> and the hub pauses that campaign while the agent's data keeps flowing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RolloutCampaignTests(ITestOutputHelper output)
{
    private const string AdminKey = "ecak_e2e-rollout-admin";
    private const string GoodVersion = "99.0.0";
    private const string BadVersion = "99.0.1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoGroups_GoodBuildCompletesHealthy_CrashingBuildRollsBackAndPausesItsCampaign()
    {
        using var folder = new TempFolder();
        using var key = new ReleaseKey(folder.Path, "release");
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = await SecureHub.StartAsync(folder.Sub("hub"), AdminKey);
        var (admin, apiPort, syncPort) = (hub.Admin, hub.ApiPort, hub.SyncPort);
        using (var registered = await admin.PostAsJsonAsync("/api/v1/release-keys", new { name = "release-2026", publicKeyPem = await File.ReadAllTextAsync(key.PemPath) }))
        {
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        }

        var good = await UploadAsync(admin, key, Packages.AgentBuild(GoodVersion, exitCode: null), GoodVersion);
        var bad = await UploadAsync(admin, key, Packages.AgentBuild(BadVersion, exitCode: 1), BadVersion);

        var packaged = folder.Sub("packaged-edge-agent");
        await File.WriteAllTextAsync(packaged, $"#!/bin/sh\nexec dotnet '{RepoPaths.AgentDll}' \"$@\"\n");
        File.SetUnixFileMode(packaged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (goodConfig, goodSlots) = await EnrollAsync(admin, folder, key, "e2e-roll-good", "line-good", apiPort, syncPort, plc.Port);
        var (badConfig, badSlots) = await EnrollAsync(admin, folder, key, "e2e-roll-bad", "line-bad", apiPort, syncPort, plc.Port);
        var goodUnit = new UnitSupervisor(goodConfig, goodSlots, packaged);
        var badUnit = new UnitSupervisor(badConfig, badSlots, packaged);
        ulong goodBefore, goodAfter, afterRollback;
        string Describe() => $"good agent: {Tail(goodUnit)}{Environment.NewLine}bad agent: {Tail(badUnit)}";

        try
        {
            await Explain(
                Eventually.TrueAsync(async () => await FleetMtlsTests.HighestAsync(admin, "e2e-roll-good") > 2 && await FleetMtlsTests.HighestAsync(admin, "e2e-roll-bad") > 2, Patience, "both agents to stream over mTLS"),
                Describe);
            goodBefore = await FleetMtlsTests.HighestAsync(admin, "e2e-roll-good");

            var goodCampaign = await StartCampaignAsync(admin, good, "line-good");
            var badCampaign = await StartCampaignAsync(admin, bad, "line-bad");

            // The bad build: three crashing trial starts, the launcher switches back, the packaged build reports it.
            var paused = await Explain(
                Eventually.ReturnsAsync(() => CampaignAsync(admin, badCampaign), c => c.GetProperty("state").GetString() == "paused", Patience, "the bad build's campaign to pause"),
                Describe);
            var badAgent = paused.GetProperty("agents").EnumerateArray().Single();
            Assert.Equal(("e2e-roll-bad", "rolled_back", RolloutReasons.CrashLoop), (badAgent.GetProperty("agentId").GetString(), badAgent.GetProperty("state").GetString(), badAgent.GetProperty("reason").GetString()));
            Assert.NotEqual(BadVersion, badAgent.GetProperty("runningVersion").GetString());
            Assert.Equal("packaged", badUnit.RunningBuild());
            Assert.Equal(3, badUnit.Output.Count(l => l.Contains($"stand-in edge-agent {BadVersion} starting", StringComparison.Ordinal)));
            afterRollback = await FleetMtlsTests.HighestAsync(admin, "e2e-roll-bad");
            await Explain(
                Eventually.TrueAsync(async () => await FleetMtlsTests.HighestAsync(admin, "e2e-roll-bad") > afterRollback + 3, Patience, "the rolled-back agent's data to keep flowing"),
                Describe);

            // The good build: switched, committed on trial, soaked against its baseline, judged healthy; the campaign completes.
            var completed = await Explain(
                Eventually.ReturnsAsync(() => CampaignAsync(admin, goodCampaign), c => c.GetProperty("state").GetString() == "completed", Patience, "the good build's campaign to complete"),
                Describe);
            output.WriteLine($"paused: {paused}");
            output.WriteLine($"completed: {completed}");
            var goodAgent = completed.GetProperty("agents").EnumerateArray().Single();
            Assert.Equal(("e2e-roll-good", "healthy", GoodVersion), (goodAgent.GetProperty("agentId").GetString(), goodAgent.GetProperty("state").GetString(), goodAgent.GetProperty("runningVersion").GetString()));
            Assert.Equal("a", goodUnit.RunningBuild());

            // The download's bytes stay on view after the reports that followed it, and the Hello of the build in
            // slot a announces the slot's version (the one its signed artifact declared), not the assembly's.
            Assert.Equal(completed.GetProperty("artifact").GetProperty("size").GetInt64(), goodAgent.GetProperty("bytesDone").GetInt64());
            var registered = await admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/e2e-roll-good");
            Assert.Equal(GoodVersion, registered.GetProperty("agentVersion").GetString());
            Assert.Equal("paused", (await CampaignAsync(admin, badCampaign)).GetProperty("state").GetString());

            goodAfter = await FleetMtlsTests.HighestAsync(admin, "e2e-roll-good");
        }
        finally
        {
            // Stopped before counting, so that nothing is in flight while the hub is read.
            await goodUnit.DisposeAsync();
            await badUnit.DisposeAsync();
        }

        // Exactly once across the switch (and the rollback).
        Assert.True(goodAfter > goodBefore + 3, $"the good agent's data stalled across the switch: {goodBefore} -> {goodAfter}");
        await HubAssertions.AssertExactlyOnceAsync(admin, "e2e-roll-good", goodAfter, CrashRecoveryTests.PlcTags);
        await HubAssertions.AssertExactlyOnceAsync(admin, "e2e-roll-bad", afterRollback + 3, CrashRecoveryTests.PlcTags);
    }

    private static async Task<string> UploadAsync(HttpClient admin, ReleaseKey key, byte[] build, string version)
    {
        var signature = Convert.ToBase64String(key.Sign(build, "agent", "edge-agent", version).Signature.ToByteArray());
        using var body = new ByteArrayContent(build);
        using var uploaded = await admin.PostAsync($"/api/v1/artifacts?kind=agent&name=edge-agent&version={version}&signature={Uri.EscapeDataString(signature)}", body);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        return (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>An agent.json with an <c>updates</c> section trusting <paramref name="key"/>, enrolled, in <paramref name="group"/>.</summary>
    private static async Task<(string Config, string Slots)> EnrollAsync(HttpClient admin, TempFolder folder, ReleaseKey key, string agentId, string group, int apiPort, int syncPort, int plcPort)
    {
        var directory = Directory.CreateDirectory(folder.Sub(agentId)).FullName;
        var config = AgentConfigFile.Write(directory, agentId, $"https://127.0.0.1:{syncPort}", AgentConfigFile.PlcDevice(plcPort, pollMs: 100));
        var slots = Path.Combine(directory, "slots");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(config))!.AsObject();
        json["updates"] = new JsonObject
        {
            ["releaseKeys"] = new JsonArray(key.PemPath),
            ["slotsDirectory"] = slots,
            ["download"] = new JsonObject { ["stallSeconds"] = 5, ["minBytesPerSecond"] = 100, ["attempts"] = 3 },
        };
        await File.WriteAllTextAsync(config, json.ToJsonString());
        await FleetMtlsTests.EnrollAsync(admin, config, agentId, apiPort);
        using var labels = await admin.PutAsJsonAsync($"/api/v1/fleet/agents/{agentId}/labels", new { groups = new[] { group } });
        Assert.True(labels.IsSuccessStatusCode, await labels.Content.ReadAsStringAsync());
        return (config, slots);
    }

    private static async Task<string> StartCampaignAsync(HttpClient admin, string artifactId, string group)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "roll-" + group,
            artifactId,
            target = new { group },
            stages = new[] { 100 },
            soakSeconds = 12,
            failureThreshold = 0.2,
            healthWindowSeconds = 30,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> CampaignAsync(HttpClient admin, string id) =>
        await admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}");

    private static string Tail(UnitSupervisor unit) =>
        $"running {unit.RunningBuild() ?? "nothing"}, exits [{string.Join(", ", unit.Exits)}]:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", unit.Output.TakeLast(25))}";

    /// <summary>A wait that, when it times out, says what both agents printed.</summary>
    private static async Task<T> Explain<T>(Task<T> wait, Func<string> describe)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}{describe()}", ex);
        }
    }

    private static async Task Explain(Task wait, Func<string> describe) =>
        await Explain(wait.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), describe);
}
