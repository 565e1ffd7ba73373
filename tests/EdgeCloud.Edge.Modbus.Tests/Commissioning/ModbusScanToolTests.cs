using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

/// <summary>The body of <c>edge-agent modbus scan</c> against pymodbus's RTU bus (units 1 and 2 on a pty).</summary>
[Collection(PymodbusRtuCollection.Name)]
public sealed class ModbusScanToolTests(PymodbusRtuPeers peers)
{
    [Fact]
    public async Task RunAsync_BusWithUnits1And2_FindsThemAndTheirMaps()
    {
        // Generous for a loaded machine: a present unit answering late would read as absent; the two absent ids cost it once each.
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), TimeSpan.FromMilliseconds(600));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ModbusScanTool.RunAsync(master, "bus", [3, 2, 4, 1], probeRegisters: true, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Ok, exit);
        Assert.Equal("", error.ToString());
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal(["unit   2: answers", "unit   1: answers"], lines.Where(l => l.StartsWith("unit", StringComparison.Ordinal)));
        Assert.Contains("2 of 4 unit ids answer: 2, 1.", lines);

        // pymodbus serves registers 0-63 of each area: 0 and 1 exist, 100 and beyond are refused (02).
        var maps = lines.Where(l => l.TrimStart().StartsWith("holding:", StringComparison.Ordinal) || l.TrimStart().StartsWith("input", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, maps.Count);
        Assert.All(maps, m => Assert.Contains(": 0 yes, 1 yes, 100 no (02), 1000 no (02)", m, StringComparison.Ordinal));
    }
}
