using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Arm64;

/// <summary>
/// The arm64 package's agent, run under qemu user mode: the binary a Raspberry Pi class gateway
/// gets starts, validates configs and speaks Modbus. (Not a timing test: emulation is slow.)
/// </summary>
public sealed class Arm64AgentTests(Arm64AgentFixture arm) : IClassFixture<Arm64AgentFixture>
{
    [Fact]
    public async Task Arm64Agent_IsAnAarch64ExecutableFromThePackage()
    {
        var file = await ProcessRunner.RunCheckedAsync("file", "-L", arm.AgentExecutable);

        Assert.Contains("ARM aarch64", file.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_GoodConfigUnderQemu_SaysOkAndExitsZero()
    {
        var config = WriteConfig("""{ "name": "t", "area": "holding", "address": 0, "type": "float32", "byteOrder": "CDAB" }""");

        var result = await arm.RunAgentAsync("validate", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("OK (agent arm-gw, 1 devices, 1 tags", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadConfigUnderQemu_ExitsWithConfigErrorNamingThePath()
    {
        var config = WriteConfig("""{ "name": "t", "area": "holding", "address": 0, "type": "float33" }""");

        var result = await arm.RunAgentAsync("validate", "--config", config);

        Assert.True(result.ExitCode == 78, result.ToString());
        Assert.Contains("$.devices[0].tags[0].type", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModbusRead_AgainstTheArm64Simulator_ReadsRegistersOverTcp()
    {
        // Both ends emulated: the arm64 simulator serves, the arm64 CLI reads it over loopback TCP.
        var port = FreePort();
        using var simulator = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("qemu-aarch64-static")
        {
            ArgumentList = { "-L", arm.Sysroot, arm.AgentExecutable, "simulate", "modbus", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            ProcessResult? read = null;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                read = await arm.RunAgentAsync("modbus", "read", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--address", "0", "--count", "4", "--timeout-ms", "20000");
                if (read.ExitCode == 0)
                {
                    break;
                }

                await Task.Delay(1000); // the emulated simulator takes seconds to start listening
            }

            if (read is not { ExitCode: 0 })
            {
                simulator.Kill(entireProcessTree: true);
                Assert.Fail($"{read}\nsimulator: {await simulator.StandardOutput.ReadToEndAsync()} {await simulator.StandardError.ReadToEndAsync()}");
            }

            Assert.Contains("float32", read!.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            simulator.Kill(entireProcessTree: true);
            await simulator.WaitForExitAsync();
        }
    }

    private string WriteConfig(string tag)
    {
        var folder = arm.NewScratchDir("config");
        var path = Path.Combine(folder, "agent.json");
        File.WriteAllText(path, $$"""
            { "agentId": "arm-gw", "dataDirectory": "{{Path.Combine(folder, "data")}}", "hub": { "url": "http://127.0.0.1:5081" },
              "devices": [ { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020, "tags": [ {{tag}} ] } ] }
            """);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
