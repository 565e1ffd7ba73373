using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

/// <summary>The body of <c>edge-agent modbus detect</c> against pymodbus, whose values Python's struct module encoded.</summary>
[Collection(PymodbusCollection.Name)]
public sealed class WordOrderToolTests(PymodbusServer server)
{
    [Theory]
    [InlineData(10, "ABCD")]
    [InlineData(12, "CDAB")]
    [InlineData(14, "BADC")]
    [InlineData(16, "DCBA")]
    public async Task RunAsync_Float123Point456_BestFitIsItsOrder(ushort address, string order)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await WordOrderTool.RunAsync(master, "plc", 1, ModbusRegisterArea.Holding, address, 120, 130, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Ok, exit);
        Assert.Contains($"\"address\": {address}, \"type\": \"float32\", \"byteOrder\": \"{order}\", \"scale\": 1 }}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LastRegisterOfTheMap_FallsBackToAShorterRead()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Register 127 is the last one pymodbus serves; a four-register read there is refused.
        var exit = await WordOrderTool.RunAsync(master, "plc", 1, ModbusRegisterArea.Holding, PymodbusRegisterTable.HoldingSize - 1, -1, 70000, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Ok, exit);
        Assert.StartsWith("Registers 127-127:", output.ToString(), StringComparison.Ordinal);
    }
}
