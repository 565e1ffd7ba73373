using EdgeCloud.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;

namespace EdgeCloud.EndToEnd.Tests;

/// <summary>What the agent puts on the wire, counted by a relay between it and the real hub.</summary>
public sealed class CompressionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agent_GzipOnByDefault_SendsFarFewerBytesPerPointThanWithout()
    {
        using var folder = new TempFolder();
        await using var plc = await PlcPeer.StartAsync();
        await using var hub = new HubServer(folder.Sub("hub"));
        await hub.StartAsync();

        var gzip = await BytesPerPointAsync(folder, plc, hub, "gzip");
        var none = await BytesPerPointAsync(folder, plc, hub, "none");

        output.WriteLine($"on the wire (HTTP/2 + gRPC framing included): gzip {gzip:F1} B/point, none {none:F1} B/point");
        Assert.True(gzip < none / 2, $"gzip {gzip:F1} B/point, none {none:F1} B/point");
    }

    private static async Task<double> BytesPerPointAsync(TempFolder folder, PlcPeer plc, HubServer hub, string compression)
    {
        var agentId = $"e2e-wire-{compression}";
        var dir = Directory.CreateDirectory(folder.Sub(compression)).FullName;
        await using var relay = new TcpRelay(hub.SyncPort);
        var config = AgentConfigFile.WriteWithCompression(dir, agentId, $"http://127.0.0.1:{relay.Port}", 5, compression, AgentConfigFile.PlcDevice(plc.Port, pollMs: 50));
        await using var agent = AgentProcess.Start("run", "--config", config);
        var stored = await Eventually.ReturnsAsync(
            async () => (await hub.GetAgentAsync(agentId))?.GetProperty("points").GetInt64() ?? 0,
            p => p >= 1000,
            Patience,
            $"1000 points from the {compression} agent");
        await agent.KillAsync();
        return (double)relay.BytesUp / stored;
    }
}
