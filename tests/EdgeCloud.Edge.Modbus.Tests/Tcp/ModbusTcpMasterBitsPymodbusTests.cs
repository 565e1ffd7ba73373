using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Tcp;

/// <summary>Coils, discrete inputs (functions 1, 2, 5, 15) and strings against pymodbus.</summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusTcpMasterBitsPymodbusTests(PymodbusServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ReadCoils_2000Bits_MatchPymodbus()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);
        var bits = new bool[ModbusPdu.MaxReadBits];

        await master.ReadCoilsAsync(1, 0, bits, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, bits.Length).Select(PymodbusRegisterTable.Coil), bits);
    }

    [Fact]
    public async Task ReadDiscreteInputs_OddStartAndCount_MatchPymodbus()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);
        var bits = new bool[13];

        await master.ReadDiscreteInputsAsync(1, 101, bits, CancellationToken.None);

        Assert.Equal(Enumerable.Range(101, 13).Select(PymodbusRegisterTable.DiscreteInput), bits);
    }

    [Fact]
    public async Task WriteCoils_SingleAndMultiple_ReadBackChanged()
    {
        // Coils 2010-2030 belong to this test; the read tests stay below 2000.
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);
        bool[] pattern = [true, true, false, true, false, false, true, true, true, false, true];

        await master.WriteMultipleCoilsAsync(1, 2010, pattern, CancellationToken.None);
        await master.WriteSingleCoilAsync(1, 2025, true, CancellationToken.None);
        await master.WriteSingleCoilAsync(1, 2026, false, CancellationToken.None);
        var back = new bool[17];
        await master.ReadCoilsAsync(1, 2010, back, CancellationToken.None);

        Assert.Equal(pattern, back[..11]);
        Assert.True(back[15]);
        Assert.False(back[16]);
    }

    [Fact]
    public async Task ReadCoils_PastTheEnd_IllegalDataAddress()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        var ex = await Assert.ThrowsAsync<ModbusException>(
            () => master.ReadCoilsAsync(1, PymodbusRegisterTable.BitCount - 5, new bool[10], CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
    }

    [Fact]
    public async Task ReadCoils_2001Bits_RefusedBeforeSending()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => master.ReadCoilsAsync(1, 0, new bool[2001], CancellationToken.None).AsTask());
        Assert.False(master.IsConnected);
    }

    [Fact]
    public async Task ReadRegisters_Strings_DecodeAndTrim()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);
        foreach (var (address, order, text) in PymodbusRegisterTable.Strings)
        {
            var registers = await master.ReadHoldingRegistersAsync(1, address, PymodbusRegisterTable.StringLength, CancellationToken.None);

            Assert.Equal(text.Trim(), RegisterText.Decode(registers, order));
        }
    }
}
