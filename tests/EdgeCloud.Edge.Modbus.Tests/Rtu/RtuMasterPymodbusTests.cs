using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

/// <summary>RtuMaster against pymodbus's RTU server: on a socat pty line (115200 8N1) and over TCP.</summary>
[Collection(PymodbusRtuCollection.Name)]
public sealed class RtuMasterPymodbusTests(PymodbusRtuPeers peers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ReadHoldingRegisters_TwoUnitsOnOneSerialLine_EachAnswersWithItsOwnRegisters()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), Timeout);

        for (var round = 0; round < 5; round++)
        {
            foreach (var unit in new byte[] { 1, 2 })
            {
                var registers = new ushort[10];
                await master.ReadHoldingRegistersAsync(unit, (ushort)(round * 3), registers, CancellationToken.None);
                Assert.Equal(Enumerable.Range(round * 3, 10).Select(a => PymodbusRtuPeers.Holding(unit, a)), registers);
            }
        }

        Assert.Equal(0, master.CrcErrors + master.TruncatedFrames + master.UnexpectedFrames);
    }

    [Fact]
    public async Task ReadInputRegisters_MaximumBlock_AllRegistersArrive()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), Timeout);
        var registers = new ushort[64];

        await master.ReadInputRegistersAsync(2, 0, registers, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 64).Select(a => PymodbusRtuPeers.Input(2, a)), registers);
    }

    [Fact]
    public async Task WriteRegisters_SingleAndMultiple_ReadBackFromTheSameUnitOnly()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), Timeout);
        ushort[] values = [0xCAFE, 0xBEEF, 0x0102];

        await master.WriteSingleRegisterAsync(1, 60, 0x7777, CancellationToken.None);
        await master.WriteMultipleRegistersAsync(1, 61, values, CancellationToken.None);

        var unit1 = new ushort[4];
        var unit2 = new ushort[4];
        await master.ReadHoldingRegistersAsync(1, 60, unit1, CancellationToken.None);
        await master.ReadHoldingRegistersAsync(2, 60, unit2, CancellationToken.None);
        Assert.Equal([0x7777, 0xCAFE, 0xBEEF, 0x0102], unit1);
        Assert.Equal(Enumerable.Range(60, 4).Select(a => PymodbusRtuPeers.Holding(2, a)), unit2);
    }

    [Fact]
    public async Task Coils_ReadWriteAndDiscreteInputs_OverTheSerialLine()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), Timeout);
        var coils = new bool[20];
        var inputs = new bool[11];

        await master.ReadCoilsAsync(2, 0, coils, CancellationToken.None);
        await master.ReadDiscreteInputsAsync(1, 3, inputs, CancellationToken.None);
        await master.WriteSingleCoilAsync(1, 50, true, CancellationToken.None);
        await master.WriteMultipleCoilsAsync(1, 52, new[] { true, true, false, true }, CancellationToken.None);
        var written = new bool[6];
        await master.ReadCoilsAsync(1, 50, written, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 20).Select(a => PymodbusRtuPeers.Coil(2, a)), coils);
        Assert.Equal(Enumerable.Range(3, 11).Select(a => PymodbusRtuPeers.DiscreteInput(1, a)), inputs);
        Assert.Equal([true, PymodbusRtuPeers.Coil(1, 51), true, true, false, true], written);
        Assert.Equal(0, master.CrcErrors + master.TruncatedFrames + master.UnexpectedFrames);
    }

    [Fact]
    public async Task ReadHoldingRegisters_UnitNotOnTheBus_TimesOutAndTheNextUnitStillAnswers()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(9, 0, new ushort[2], CancellationToken.None).AsTask());
        var registers = new ushort[2];
        await master.ReadHoldingRegistersAsync(1, 5, registers, CancellationToken.None);

        Assert.Equal([PymodbusRtuPeers.Holding(1, 5), PymodbusRtuPeers.Holding(1, 6)], registers);
        Assert.True(master.IsConnected);
    }

    [Fact]
    public async Task ReadHoldingRegisters_PastTheMap_ThrowsIllegalDataAddressAndKeepsTheLine()
    {
        await using var master = new RtuMaster(new SerialRtuTransport(peers.Settings()), Timeout);

        var ex = await Assert.ThrowsAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 100, new ushort[2], CancellationToken.None).AsTask());
        var registers = new ushort[1];
        await master.ReadHoldingRegistersAsync(2, 0, registers, CancellationToken.None);

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
        Assert.Equal(PymodbusRtuPeers.Holding(2, 0), registers[0]);
    }

    [Fact]
    public async Task ReadHoldingRegisters_RtuOverTcp_SameFramingReadsBothUnits()
    {
        await using var master = new RtuMaster(new TcpRtuTransport("127.0.0.1", peers.TcpPort), Timeout);

        foreach (var unit in new byte[] { 2, 1, 2 })
        {
            var registers = new ushort[3];
            await master.ReadHoldingRegistersAsync(unit, 7, registers, CancellationToken.None);
            Assert.Equal(Enumerable.Range(7, 3).Select(a => PymodbusRtuPeers.Holding(unit, a)), registers);
        }

        var inputs = new ushort[2];
        await master.ReadInputRegistersAsync(1, 0, inputs, CancellationToken.None);
        Assert.Equal([PymodbusRtuPeers.Input(1, 0), PymodbusRtuPeers.Input(1, 1)], inputs);
    }

    [Fact]
    public async Task ConnectAsync_NoSuchSerialDevice_ThrowsTransportWhileConnecting()
    {
        var settings = peers.Settings() with { PortName = Path.Combine(Path.GetTempPath(), "no-such-tty-" + Guid.NewGuid().ToString("N")) };
        await using var master = new RtuMaster(new SerialRtuTransport(settings), Timeout);

        var ex = await Assert.ThrowsAsync<ModbusTransportException>(() => master.ConnectAsync(CancellationToken.None).AsTask());

        Assert.True(ex.WhileConnecting);
        Assert.False(master.IsConnected);
    }
}
