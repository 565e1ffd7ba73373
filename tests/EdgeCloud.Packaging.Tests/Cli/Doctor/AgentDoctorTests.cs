using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Agent.Cli.Doctor;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Time;
using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Cli.Doctor;

/// <summary>The doctor's checks against real loopback listeners, closed ports and temp folders.</summary>
public sealed class AgentDoctorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecloud-doctor-").FullName;
    private readonly TcpListener _device = Listen();
    private readonly TcpListener _hub = Listen();

    [Fact]
    public async Task Run_EverythingReachable_AllOk()
    {
        var results = await new AgentDoctor(new FixedClock(true)).RunAsync(Config(Tcp("plc", Port(_device)), Serial("rtu", "/dev/null")), CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Outcome == CheckOutcome.Ok, r.ToString()));
        Assert.Equal(["data folder", "device plc", "device rtu", "hub", "clock"], results.Select(r => r.Check));
    }

    [Fact]
    public async Task Run_DeviceOnClosedPortAndMissingSerial_FailsThoseOnly()
    {
        var results = await new AgentDoctor(new FixedClock(true)).RunAsync(
            Config(Tcp("plc", Port(_device)), Tcp("dead", ClosedPort()), Serial("rtu", "/dev/ttyUSB-edgecloud-absent")), CancellationToken.None);

        var failed = results.Where(r => r.Outcome == CheckOutcome.Fail).ToList();
        Assert.Equal(["device dead", "device rtu"], failed.Select(r => r.Check));
        Assert.Contains("ConnectionRefused", failed[0].Detail, StringComparison.Ordinal);
        Assert.Contains("not present", failed[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HubUnreachableAndClockFree_HubFailsClockWarns()
    {
        var config = Config(Tcp("plc", Port(_device))) with { Hub = Hub(ClosedPort()) };

        var results = await new AgentDoctor(new FixedClock(false)).RunAsync(config, CancellationToken.None);

        Assert.Equal(CheckOutcome.Fail, results.Single(r => r.Check == "hub").Outcome);
        Assert.Equal(CheckOutcome.Warn, results.Single(r => r.Check == "clock").Outcome);
    }

    [Fact]
    public async Task Run_MissingDataFolder_Fails()
    {
        var config = Config() with { DataDirectory = Path.Combine(_dir, "absent") };

        var result = (await new AgentDoctor(new FixedClock(true)).RunAsync(config, CancellationToken.None))[0];

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains("does not exist", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutboxBudgetAboveFreeDisk_Fails()
    {
        var config = Config() with { Outbox = new OutboxConfig(1000, TimeSpan.FromSeconds(1), 1L << 42) }; // 4 TiB

        var result = (await new AgentDoctor(new FixedClock(true)).RunAsync(config, CancellationToken.None))[0];

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains("outbox.maxBytes", result.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir)); // the write probe is gone
    }

    [Fact]
    public async Task Run_OutboxStoreSetAside_WarnsWithTheNewestFileAndFailsNothing()
    {
        var outbox = Directory.CreateDirectory(Path.Combine(_dir, "outbox")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(outbox, "outbox.db.damaged-20261125031500"), new byte[3 << 20]);
        await File.WriteAllBytesAsync(Path.Combine(outbox, "outbox.db.damaged-20261124010000-log"), new byte[10]);

        var results = await new AgentDoctor(new FixedClock(true)).RunAsync(Config(Tcp("plc", Port(_device))), CancellationToken.None);

        var warning = Assert.Single(results, r => r.Check == "outbox store");
        Assert.Equal(CheckOutcome.Warn, warning.Outcome);
        Assert.Contains("outbox.db.damaged-20261125031500 (3 MiB) was set aside at 2026-11-25 03:15:00 UTC", warning.Detail, StringComparison.Ordinal);
        Assert.Contains("1 older ones go", warning.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(results, r => r.Outcome == CheckOutcome.Fail);
    }

    [Fact]
    public async Task DoctorCommand_RealProcess_ExitCodeFollowsChecks()
    {
        var good = Path.Combine(_dir, "good.json");
        await File.WriteAllTextAsync(good, Json(Port(_device), Port(_hub)));
        var bad = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(bad, Json(ClosedPort(), Port(_hub)));
        var broken = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(broken, "{ \"agentId\": 5 }");
        var dll = Path.Combine(AppContext.BaseDirectory, "edge-agent.dll");

        var ok = await ProcessRunner.RunAsync("dotnet", [dll, "doctor", "--config", good]);
        var failing = await ProcessRunner.RunAsync("dotnet", [dll, "doctor", "--config", bad]);
        var refused = await ProcessRunner.RunAsync("dotnet", [dll, "doctor", "--config", broken]);

        // config, data folder, device, hub, clock; the clock may warn on a test machine, which never changes the exit code.
        Assert.True(ok.ExitCode == 0, ok.StandardOutput + ok.StandardError);
        Assert.Equal(5, ok.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("FAIL  device plc", failing.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(78, refused.ExitCode);
        Assert.StartsWith("FAIL  config", refused.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _device.Stop();
        _hub.Stop();
        Directory.Delete(_dir, recursive: true);
    }

    private string Json(int devicePort, int hubPort) => $$"""
        {
          "agentId": "doctor-test",
          "dataDirectory": "{{_dir}}",
          "hub": { "url": "http://127.0.0.1:{{hubPort}}" },
          "devices": [
            { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": {{devicePort}}, "unitId": 1,
              "tags": [ { "name": "t", "area": "holding", "address": 0, "type": "int16" } ] }
          ]
        }
        """;

    private AgentConfig Config(params DeviceConfig[] devices) => new(
        "doctor-test", _dir, Hub(Port(_hub)), new OutboxConfig(1000, TimeSpan.FromSeconds(1), 1 << 20), new SiteConfig(devices), "test");

    private static HubLinkConfig Hub(int port) => new(new Uri($"http://127.0.0.1:{port}"), 32, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));

    private static ModbusTcpDeviceConfig Tcp(string name, int port) =>
        new(name, "127.0.0.1", port, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), []);

    private static ModbusRtuDeviceConfig Serial(string name, string port) =>
        new(name, new SerialLineConfig(port, 19200, SerialParity.Even, 8, 1), 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), []);

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static int ClosedPort()
    {
        var listener = Listen();
        var port = Port(listener);
        listener.Stop();
        return port;
    }

    /// <summary>Imitates a clock that is (or is not) disciplined, which a test cannot make the host's clock be.</summary>
    private sealed class FixedClock(bool synchronized) : IClockStatus
    {
        public bool IsSynchronized => synchronized;
    }
}
