using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The hub process SIGKILLed while agents stream to it (between a commit and its ack, among
/// other moments): after a restart on the same SQLite file nothing is lost and nothing doubled.
/// </summary>
public sealed partial class HubCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"Outbox durable: sequences (\d+)-(\d+)")]
    private static partial Regex Durable();

    [Fact]
    public async Task Hub_KilledMidStreamAndRestarted_AgentDataStoredExactlyOnce()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        var apiPort = FreePort.Next();
        var syncPort = FreePort.Next();
        string[] hubArgs =
        [
            $"--Storage:DataDirectory={folder.Sub("hub")}",
            $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{apiPort}",
            $"--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:{syncPort}",
            "--Fleet:Mode=InsecureDevelopment",
        ];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        var config = AgentConfigFile.Write(folder.Path, "e2e-hubcrash", $"http://127.0.0.1:{syncPort}", AgentConfigFile.PlcDevice(plc.Port, pollMs: 50));
        await using var agent = AgentProcess.Start("run", "--config", config, "--Logging:LogLevel:EdgeCloud.Edge.Outbox=Debug");

        for (var crash = 0; crash < 3; crash++)
        {
            await using var hub = AgentProcess.StartDll(RepoPaths.HubDll, hubArgs);
            var target = LastDurable(agent) + 3;
            await Eventually.TrueAsync(async () => await HighestAsync(http) >= target, Patience, $"the hub to hold sequence {target}");
            await Task.Delay(300 + (crash * 200));
            await hub.KillAsync();
        }

        await using var survivor = AgentProcess.StartDll(RepoPaths.HubDll, hubArgs);
        var last = LastDurable(agent) + 3;
        await Eventually.TrueAsync(async () => await HighestAsync(http) >= last, Patience, $"the hub to catch up to {last}");
        await agent.KillAsync();

        await HubAssertions.AssertExactlyOnceAsync(http, "e2e-hubcrash", last, CrashRecoveryTests.PlcTags);
    }

    private static async Task<ulong> HighestAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/api/v1/agents/e2e-hubcrash");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("highestSequence").GetUInt64() : 0;
    }

    private static ulong LastDurable(AgentProcess agent) =>
        agent.Lines.Select(l => Durable().Match(l)).Where(m => m.Success).Select(m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0UL).Max();
}
