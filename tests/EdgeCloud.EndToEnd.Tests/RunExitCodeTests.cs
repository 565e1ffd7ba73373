using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// What <c>edge-agent run</c> tells systemd (<c>Restart=on-failure</c>) through its exit code: 1 when a background
/// service failed after start and stopped the agent, 0 when it was stopped with SIGTERM. The same agent both times:
/// pymodbus PLC, a rule that raises an alarm on the first poll (so the alarm journal is written at once), no hub.
/// The failing service is the site's alarm journal: the agent's own services retry whatever fails (the hub link)
/// or mark the exit code themselves (the outbox), so a site service is where a real failure reaches the host.
/// </summary>
public sealed class RunExitCodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_AlarmJournalCannotBeWrittenAfterStart_ExitsOneSayingTheSiteStopped()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        var config = WriteConfig(folder, plc.Port);

        // The journal is written through alarms.json.tmp; a directory in its place makes that write fail with
        // UnauthorizedAccessException (the runtime reports EISDIR as access denied), as a journal the agent's
        // user may no longer write would. chmod cannot show it here: the tests run as root, who may write anyway.
        // Nothing touches the file before the first alarm, so the service fails after the host started.
        Directory.CreateDirectory(Path.Combine(folder.Path, "data", "rules", "alarms.json.tmp"));
        await using var agent = AgentProcess.Start("run", "--config", config);

        var exit = await agent.WaitForExitAsync(Patience);

        Assert.True(exit == 1, $"exit {exit}; output:{Environment.NewLine}{agent.Output}");
        Assert.Contains("UnauthorizedAccessException", agent.Output, StringComparison.Ordinal);
        Assert.Contains("alarms.json.tmp", agent.Output, StringComparison.Ordinal);
        Assert.Contains("stopped by itself (a source failed); the agent stops so that its supervisor restarts it", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StoppedWithSigtermAfterTheAlarmWasJournaled_ExitsZero()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        var config = WriteConfig(folder, plc.Port);
        await using var agent = AgentProcess.Start("run", "--config", config);
        var journal = Path.Combine(folder.Path, "data", "rules", "alarms.json");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(journal) || agent.HasExited), Patience, "the alarm journal to be written");

        var exit = await agent.StopAsync(Patience);

        Assert.True(exit == 0, $"exit {exit}; output:{Environment.NewLine}{agent.Output}");
        Assert.DoesNotContain("edge-agent stopped because", agent.Output, StringComparison.Ordinal);
    }

    /// <summary>plc/temperature is 21.5 from the PLC's start, so the rule raises its alarm on the first poll.</summary>
    private static string WriteConfig(TempFolder folder, int plcPort) => AgentConfigFile.WriteWithRules(
        folder.Path, "e2e-exit", $"http://127.0.0.1:{FreePort.Next()}", 5, "gzip", "\"maxBatchDelayMs\": 200",
        """{ "definitions": [ { "name": "warm", "type": "threshold", "tag": "plc/temperature", "above": 20, "severity": 300 } ] }""",
        AgentConfigFile.PlcDevice(plcPort, pollMs: 100));
}
