using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Tcp;

/// <summary>The master against pymodbus, the independent peer.</summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusTcpMasterPymodbusTests(PymodbusServer server)
{
    // Generous: pymodbus is a Python server sharing two cores with the parallel test classes.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static TheoryData<int> TableRows() => [.. Enumerable.Range(0, PymodbusRegisterTable.Entries.Count)];

    [Theory]
    [MemberData(nameof(TableRows))]
    public async Task ReadRegisters_EveryTypeAndByteOrder_DecodesPymodbusValues(int row)
    {
        var entry = PymodbusRegisterTable.Entries[row];
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);
        var registers = new ushort[entry.Type.RegisterCount()];

        await master.ReadRegistersAsync(entry.Area, 1, entry.Address, registers, CancellationToken.None);

        Assert.True(RegisterDecoder.TryDecodeRaw(registers, entry.Type, entry.Order, out var value));
        if (entry.Type == ModbusDataType.Float32)
        {
            Assert.Equal(TagValueKind.Number, value.Kind);
            Assert.Equal((float)entry.Value, (float)value.AsDouble());
        }
        else if (entry.Type == ModbusDataType.Float64)
        {
            Assert.Equal(TagValueKind.Number, value.Kind);
            Assert.Equal(entry.Value, value.AsDouble());
        }
        else
        {
            Assert.Equal(TagValueKind.Integer, value.Kind);
            Assert.Equal((long)entry.Value, value.AsInteger());
        }
    }

    [Fact]
    public async Task ReadHoldingRegisters_WholeTable_MatchesSingleReads()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        var block = await master.ReadHoldingRegistersAsync(1, 0, 38, CancellationToken.None);
        var single = await master.ReadHoldingRegistersAsync(1, 30, 2, CancellationToken.None);

        Assert.Equal(block[30..32], single);
        Assert.Equal([0xDEAD, 0xBEEF], single);
    }

    [Fact]
    public async Task ReadHoldingRegisters_AddressOutOfRange_ThrowsIllegalDataAddress()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        var ex = await Assert.ThrowsAsync<ModbusException>(
            () => master.ReadHoldingRegistersAsync(1, PymodbusRegisterTable.HoldingSize, 2, CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
        Assert.Equal(ModbusFunctionCode.ReadHoldingRegisters, ex.FunctionCode);
        Assert.True(master.IsConnected);
        Assert.Equal(0xFFFE, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
    }

    [Fact]
    public async Task ReadInputRegisters_UnitNotServed_TimesOutAndNextRequestStillWorks()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadInputRegistersAsync(2, 0, 1, CancellationToken.None).AsTask());

        Assert.Equal(65535, (await master.ReadInputRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
    }

    [Fact]
    public async Task WriteRegisters_SingleAndMultiple_ReadBackFromPymodbus()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        await master.WriteSingleRegisterAsync(1, 50, 0xA55A, CancellationToken.None);
        await master.WriteMultipleRegistersAsync(1, 51, new ushort[] { 1, 2, 65535 }, CancellationToken.None);

        Assert.Equal([0xA55A, 1, 2, 65535], await master.ReadHoldingRegistersAsync(1, 50, 4, CancellationToken.None));
    }

    [Fact]
    public async Task WriteMultipleRegisters_PastTheMap_ThrowsIllegalDataAddress()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        var ex = await Assert.ThrowsAsync<ModbusException>(
            () => master.WriteMultipleRegistersAsync(1, PymodbusRegisterTable.HoldingSize - 1, new ushort[] { 1, 2 }, CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ex.ExceptionCode);
        Assert.Equal(ModbusFunctionCode.WriteMultipleRegisters, ex.FunctionCode);
    }

    [Fact]
    public async Task ReadHoldingRegisters_ConcurrentCallers_EachGetsItsOwnReply()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, Timeout);

        var reads = Enumerable.Range(0, 20).Select(i => master.ReadHoldingRegistersAsync(1, (ushort)(i % 2 == 0 ? 30 : 20), 2, CancellationToken.None).AsTask());
        var results = await Task.WhenAll(reads);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? new ushort[] { 0xDEAD, 0xBEEF } : [0xF8A4, 0x32EB], results[i]);
        }
    }
}
