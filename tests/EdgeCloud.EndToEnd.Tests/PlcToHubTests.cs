using System.Text.Json;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>
/// The foundation's real path: pymodbus plays the PLC, an edge-agent process polls it, a real
/// Kestrel hub stores what arrives in SQLite, and the values come back through the REST API.
/// </summary>
public sealed class PlcToHubTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agent_PollsPymodbusPlc_DecodedValuesComeBackThroughHubRestApi()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();
        var deadPort = FreePort.Next();
        var config = AgentConfigFile.Write(folder.Path, "e2e-plc", hub.SyncUrl, AgentConfigFile.PlcDevice(plc.Port), AgentConfigFile.DeadDevice(deadPort));
        var started = DateTimeOffset.UtcNow.AddSeconds(-5);
        await using var agent = AgentProcess.Start("run", "--config", config);

        // Each value was written by pymodbus in the data type and byte order the tag names.
        var expected = new Dictionary<string, double>
        {
            ["plc/temperature"] = 21.5,
            ["plc/pressure"] = -3.25,
            ["plc/torque"] = -123456,
            ["plc/energy"] = 3_000_000_000,
            ["plc/offset"] = -42,
            ["plc/speed"] = 65000,
            ["plc/level"] = 123.4,
            ["plc/ambient"] = 1013.25,
        };

        var counter = await Eventually.ReturnsAsync(
            async () => (await hub.GetTelemetryAsync("e2e-plc", "plc/counter", started, DateTimeOffset.UtcNow.AddMinutes(1))).GetProperty("points").EnumerateArray().ToList(),
            points => points is { Count: >= 5 },
            Patience,
            "five counter points at the hub");

        var counts = counter.Select(p => p.GetProperty("v").GetInt64()).ToList();
        Assert.True(counts.Distinct().Count() > 1, $"the counter should change between polls: {string.Join(",", counts)}");
        Assert.All(counter, p => Assert.Equal("good", p.GetProperty("q").GetString()));

        foreach (var (tag, value) in expected)
        {
            var points = (await hub.GetTelemetryAsync("e2e-plc", tag, started, DateTimeOffset.UtcNow.AddMinutes(1))).GetProperty("points").EnumerateArray().ToList();
            Assert.NotEmpty(points);
            var last = points[^1];
            Assert.Equal("good", last.GetProperty("q").GetString());
            Assert.Equal(value, last.GetProperty("v").GetDouble(), precision: 6);
        }

        // Integers with no scale stay exact integers all the way (3e9 is past int32).
        var energy = (await hub.GetTelemetryAsync("e2e-plc", "plc/energy", started, DateTimeOffset.UtcNow.AddMinutes(1))).GetProperty("points")[0];
        Assert.Equal(JsonValueKind.Number, energy.GetProperty("v").ValueKind);
        Assert.Equal(3_000_000_000L, energy.GetProperty("v").GetInt64());

        // The device on a closed port: bad quality, no value, and the PLC kept being polled.
        var dead = await Eventually.ReturnsAsync(
            async () => (await hub.GetTelemetryAsync("e2e-plc", "dead/value", started, DateTimeOffset.UtcNow.AddMinutes(1))).GetProperty("points").EnumerateArray().ToList(),
            points => points is { Count: >= 3 },
            Patience,
            "bad-quality points of the dead device");
        Assert.All(dead, p =>
        {
            Assert.StartsWith("bad", p.GetProperty("q").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, p.GetProperty("v").ValueKind);
        });

        // Logged once per change of state, not once per poll.
        var deadLines = agent.Lines.Count(l => l.Contains("Modbus device dead", StringComparison.Ordinal));
        Assert.InRange(deadLines, 1, 2);

        var info = await hub.GetAgentAsync("e2e-plc");
        Assert.True(info!.Value.GetProperty("online").GetBoolean());

        // Backfill progress is reported on the stream and shown by the API.
        var health = info.Value.GetProperty("health");
        Assert.Equal(JsonValueKind.Object, health.ValueKind);
        Assert.True(health.GetProperty("backlogBatches").GetUInt64() < 1000, health.ToString());
        Assert.True(health.GetProperty("outboxBytes").GetUInt64() > 0, health.ToString());
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
        await Eventually.TrueAsync(async () => (await hub.GetAgentAsync("e2e-plc"))!.Value.GetProperty("online").GetBoolean() == false, Patience, "the agent to show offline");
    }
}
