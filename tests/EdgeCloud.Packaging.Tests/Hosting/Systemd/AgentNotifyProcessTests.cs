using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Hosting.Systemd;

/// <summary>
/// The real agent process speaking sd_notify without systemd: the test binds NOTIFY_SOCKET, arms
/// a 2 s watchdog and starts the agent so that Microsoft.Extensions.Hosting.Systemd 10.0.15 believes
/// systemd started it. That version does not look at SYSTEMD_EXEC_PID (nor, in practice, at
/// LISTEN_PID: both tried here), only at its parent's name, so the parent is a copy of /bin/sh named
/// "systemd" that starts the agent, prints its pid and waits for it. Its one device is a closed loopback port:
/// every poll still publishes BadNotConnected points, so the pipeline moves without a PLC.
/// </summary>
public sealed class AgentNotifyProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_UnderNotifySocket_ReadyAfterOutboxOpenThenWatchdogPingsThenStoppingOnSigterm()
    {
        var dir = Directory.CreateTempSubdirectory("edgecloud-notify-").FullName;
        using var listener = NotifyListener.OnPath();
        Process? agent = null;
        try
        {
            var config = Path.Combine(dir, "agent.json");
            await File.WriteAllTextAsync(config, $$"""
                {
                  "agentId": "notify-test",
                  "dataDirectory": "{{Path.Combine(dir, "data")}}",
                  "hub": { "url": "http://127.0.0.1:{{ClosedPort()}}", "maxBackoffSeconds": 1 },
                  "outbox": { "maxBatchDelayMs": 100 },
                  "devices": [
                    { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{ClosedPort()}}, "unitId": 1,
                      "pollIntervalMs": 200, "timeoutMs": 200,
                      "tags": [ { "name": "t", "area": "holding", "address": 0, "type": "int16" } ] }
                  ]
                }
                """);
            var dll = Path.Combine(AppContext.BaseDirectory, "edge-agent.dll");
            var fakeSystemd = Path.Combine(dir, "systemd");
            File.Copy("/bin/sh", fakeSystemd);
            var info = new ProcessStartInfo(fakeSystemd)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("dotnet \"$0\" run --config \"$1\" & echo $!; wait $!");
            info.ArgumentList.Add(dll);
            info.ArgumentList.Add(config);
            info.Environment["NOTIFY_SOCKET"] = listener.Address;
            info.Environment["WATCHDOG_USEC"] = "2000000";
            agent = Process.Start(info)!;
            var agentPid = (await agent.StandardOutput.ReadLineAsync())!.Trim();
            var stdout = agent.StandardOutput.ReadToEndAsync();
            var stderr = agent.StandardError.ReadToEndAsync();
            var seen = new List<string>();

            await listener.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal), Patience, seen);
            // READY comes once every hosted service started, so the outbox store is on disk by then.
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "data", "outbox"), "*", SearchOption.AllDirectories));
            Assert.Single(seen, m => m.Contains("READY=1", StringComparison.Ordinal));

            for (var i = 0; i < 3; i++)
            {
                await listener.WaitForAsync(m => m.StartsWith("WATCHDOG=1\nSTATUS=running, durable up to sequence ", StringComparison.Ordinal), Patience, seen);
            }

            await ProcessRunner.RunCheckedAsync("kill", "-TERM", agentPid);
            await listener.WaitForAsync(m => m.Contains("STOPPING=1", StringComparison.Ordinal), Patience, seen);
            using var exit = new CancellationTokenSource(Patience);
            await agent.WaitForExitAsync(exit.Token);
            Assert.True(agent.ExitCode == 0, $"exit {agent.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.Single(seen, m => m.Contains("READY=1", StringComparison.Ordinal)); // nobody sends it twice
        }
        finally
        {
            if (agent is { HasExited: false })
            {
                agent.Kill(entireProcessTree: true);
                await agent.WaitForExitAsync();
            }

            agent?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on (bound, read back, released).</summary>
    private static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
