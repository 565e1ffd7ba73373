using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Configuration;

/// <summary>The <c>updates</c> section of agent.json: defaults, and every mistake named with its JSON path.</summary>
public sealed class UpdatesConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string updates)
    {
        var path = _folder["agent.json"];
        File.WriteAllText(path, $$"""
            {
              "agentId": "gw", "dataDirectory": "data", "hub": { "url": "http://127.0.0.1:5081" },
              "devices": [ { "name": "plc1", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020, "unitId": 1,
                             "tags": [ { "name": "t", "area": "holding", "address": 0, "type": "int16" } ] } ]
              {{updates}}
            }
            """);
        return path;
    }

    [Fact]
    public void Load_NoUpdatesSection_NoKeysAndSlotsUnderTheDataFolder()
    {
        var config = ConfigLoader.Load(Write(""));

        Assert.Empty(config.Updates.ReleaseKeys);
        Assert.Equal(Path.Combine(_folder.Path, "data", "slots"), config.Updates.SlotsDirectory);
        Assert.Equal(TimeSpan.FromSeconds(300), config.Updates.HealthWindow);
    }

    [Fact]
    public void Load_GoodSection_KeysInstallersAndLimitsRead()
    {
        using var key = new ReleaseKey(_folder.Path, "release");

        var config = ConfigLoader.Load(Write($$"""
            , "updates": { "releaseKeys": ["release.pem"], "healthWindowSeconds": 60,
                           "firmwareInstallers": { "vfd": { "command": ["/usr/bin/flash", "--port", "/dev/ttyUSB0"], "timeoutSeconds": 90 } },
                           "download": { "stallSeconds": 5, "minBytesPerSecond": 10, "attempts": 2 } }
            """));

        Assert.Equal([key.PemPath], config.Updates.ReleaseKeys);
        Assert.Equal(["/usr/bin/flash", "--port", "/dev/ttyUSB0"], config.Updates.FirmwareInstallers["vfd"].Command);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Updates.FirmwareInstallers["vfd"].Timeout);
        Assert.Equal(new DownloadConfig(TimeSpan.FromSeconds(5), 10, 2), config.Updates.Download);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Updates.HealthWindow);
    }

    [Fact]
    public void Load_BadSection_EveryErrorNamedWithItsPath()
    {
        File.WriteAllText(_folder["not-a-key.pem"], "hello");

        var refused = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("""
            , "updates": { "releaseKeys": ["missing.pem", "not-a-key.pem", 7],
                           "firmwareInstallers": { "vfd": { "command": ["flash"] }, "bad name!": { "command": ["/bin/true"] } },
                           "download": { "attempts": 0 }, "healthWindow": 5 }
            """)));

        var paths = refused.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.updates.releaseKeys[0]", paths);
        Assert.Contains("$.updates.releaseKeys[1]", paths);
        Assert.Contains("$.updates.releaseKeys[2]", paths);
        Assert.Contains("$.updates.firmwareInstallers.vfd.command[0]", paths);
        Assert.Contains("$.updates.firmwareInstallers.bad name!", paths);
        Assert.Contains("$.updates.download.attempts", paths);
        Assert.Contains("$.updates.healthWindow", paths);
        Assert.Contains(refused.Errors, e => e.Path == "$.updates.releaseKeys[0]" && e.Message.Contains("cannot be read", StringComparison.Ordinal));
        Assert.Contains(refused.Errors, e => e.Path == "$.updates.releaseKeys[1]" && e.Message.Contains("not an ECDSA P-256 public key", StringComparison.Ordinal));
    }
}
