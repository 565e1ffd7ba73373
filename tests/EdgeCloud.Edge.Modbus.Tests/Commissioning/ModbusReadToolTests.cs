using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

/// <summary>The body of <c>edge-agent modbus read</c> against pymodbus over TCP.</summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusReadToolTests(PymodbusServer server)
{
    [Fact]
    public async Task RunAsync_FloatInEveryOrder_TheRightOrderShowsTheValueAtItsAddress()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Holding 10-17 hold 123.456f as ABCD, CDAB, BADC and DCBA (pymodbus_server.py).
        var exit = await ModbusReadTool.RunAsync(master, "plc", 1, ModbusRegisterArea.Holding, 10, 8, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Ok, exit);
        Assert.Equal("", error.ToString());
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("8 holding registers from 10 of unit 1 on plc", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("     10  0x42F6", StringComparison.Ordinal));
        foreach (var (address, order) in new[] { (10, "ABCD"), (12, "CDAB"), (14, "BADC"), (16, "DCBA") })
        {
            // The rows of one start address follow the line that names it.
            var at = lines.FindIndex(l => l.StartsWith($"{address,7}   ABCD", StringComparison.Ordinal) && !l.Contains("int64", StringComparison.Ordinal));
            var row = lines.Skip(at).Take(4).Single(l => l.Contains($"  {order}  ", StringComparison.Ordinal));
            Assert.EndsWith(" 123.456", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_RangeOutsideTheMap_ExitsFailedWithTheExceptionAndAHint()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ModbusReadTool.RunAsync(master, "plc", 1, ModbusRegisterArea.Holding, PymodbusRegisterTable.HoldingSize, 2, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Failed, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("exception 02 (IllegalDataAddress): part of this range does not exist", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RtuSlaveThatDoesNotAnswer_SaysWhatToCheck()
    {
        // A serial line with nothing on the other end: a real pty pair, no slave.
        await using var line = await SocatPtyPair.StartAsync();
        var settings = new RtuSerialSettings(line.MasterPath, 115200, System.IO.Ports.Parity.None, 8, System.IO.Ports.StopBits.One);
        await using var master = new RtuMaster(new SerialRtuTransport(settings), TimeSpan.FromMilliseconds(100));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ModbusReadTool.RunAsync(master, line.MasterPath, 4, ModbusRegisterArea.Input, 0, 1, output, error, CancellationToken.None);

        Assert.Equal(ModbusReadTool.Failed, exit);
        Assert.Contains("no answer", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("baud rate, parity", error.ToString(), StringComparison.Ordinal);
    }
}
