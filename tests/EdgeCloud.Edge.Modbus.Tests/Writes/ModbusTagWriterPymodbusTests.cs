using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Peers;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Modbus.Tests.Writes;

/// <summary>
/// The ITagWriter that AddModbusSources registers, writing to pymodbus while the same device is
/// polled. Each test owns its own holding registers (80-127) or coils (2040-2047).
/// </summary>
[Collection(PymodbusCollection.Name)]
public sealed class ModbusTagWriterPymodbusTests(PymodbusServer server)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task WriteAsync_ScaledFloatInWordSwappedOrder_ConfirmedAndTheRegistersReallyChange()
    {
        var tag = Tag("setpoint", 80, ModbusDataType.Float32, ByteOrder.CDAB, scale: 0.5, offset: 10);
        await using var host = await StartAsync(tag);

        var result = await Writer(host).WriteAsync("plc", "setpoint", TagValue.FromNumber(71.5), CancellationToken.None);

        Assert.Equal(TagWriteStatus.Confirmed, result.Status);
        Assert.Equal(71.5, result.ReadBack.AsDouble(), 1e-9);
        var registers = await ReadAsync(80, 2);
        Assert.True(RegisterDecoder.TryDecodeRaw(registers, ModbusDataType.Float32, ByteOrder.CDAB, out var raw));
        Assert.Equal(123.0, raw.AsDouble()); // (71.5 - 10) / 0.5
        await host.Sink.WaitUntilAsync(
            s => s.Batches("plc").Any(b => b[0].Quality == PointQuality.Good && Math.Abs(b[0].Value.AsDouble() - 71.5) < 1e-9),
            TimeSpan.FromSeconds(10),
            "a poll that sees the written value");
    }

    [Fact]
    public async Task WriteAsync_Int16OneRegister_UsesFunction6AndConfirms()
    {
        await using var host = await StartAsync(Tag("speed", 84, ModbusDataType.Int16, ByteOrder.BADC));

        var result = await Writer(host).WriteAsync("plc", "speed", TagValue.FromInteger(-1234), CancellationToken.None);

        Assert.Equal((TagWriteStatus.Confirmed, TagValue.FromInteger(-1234)), (result.Status, result.ReadBack));
        Assert.Equal(0x2EFB, (await ReadAsync(84, 1))[0]); // -1234 = 0xFB2E, bytes swapped
    }

    [Fact]
    public async Task WriteAsync_StringCoilAndRegisterBit_AllConfirmed()
    {
        await using var host = await StartAsync(
            Tag("label", 88, ModbusDataType.String, ByteOrder.ABCD, length: 4),
            new ModbusTagConfig("valve", ModbusRegisterArea.Coil, 2040, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, Writable: true),
            new ModbusTagConfig("flag", ModbusRegisterArea.Holding, 92, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, Bit: 4, Writable: true));
        var writer = Writer(host);
        await WriteRawAsync(92, 0x8001);

        var label = await writer.WriteAsync("plc", "label", TagValue.FromText("Line 2"), CancellationToken.None);
        var valve = await writer.WriteAsync("plc", "valve", TagValue.FromFlag(true), CancellationToken.None);
        var flag = await writer.WriteAsync("plc", "flag", TagValue.FromInteger(1), CancellationToken.None);

        Assert.Equal([TagWriteStatus.Confirmed, TagWriteStatus.Confirmed, TagWriteStatus.Confirmed], new[] { label.Status, valve.Status, flag.Status });
        Assert.Equal("Line 2", RegisterText.Decode(await ReadAsync(88, 4), ByteOrder.ABCD));
        Assert.Equal(0x8011, (await ReadAsync(92, 1))[0]); // only bit 4 changed
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        var coil = new bool[1];
        await master.ReadCoilsAsync(1, 2040, coil, CancellationToken.None);
        Assert.True(coil[0]);
    }

    [Fact]
    public async Task WriteAsync_DeviceClampsTheValue_ReadBackMismatchWithTheClampedValue()
    {
        // pymodbus_server.py keeps register 120 at most 1000, like a device limiting a setpoint.
        await using var host = await StartAsync(Tag("limit", 119, ModbusDataType.UInt32, ByteOrder.ABCD));

        var result = await Writer(host).WriteAsync("plc", "limit", TagValue.FromInteger(70000), CancellationToken.None);

        Assert.Equal(TagWriteStatus.ReadBackMismatch, result.Status);
        Assert.Equal(TagValue.FromInteger((1 << 16) + 1000), result.ReadBack);
        Assert.Contains("plc/limit: wrote 70000 but read back 66536", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("speed", 4000.0, TagWriteStatus.InvalidValue, "does not fit int16 after scale 0.1")]
    [InlineData("speed", double.NaN, TagWriteStatus.InvalidValue, "does not fit int16")]
    [InlineData("readonly", 1.0, TagWriteStatus.NotWritable, "not marked \"writable\": true")]
    [InlineData("input", 1.0, TagWriteStatus.NotWritable, "input registers are read-only")]
    [InlineData("absent", 1.0, TagWriteStatus.NotWritable, "no such Modbus tag")]
    [InlineData("missing", 1.0, TagWriteStatus.DeviceError, "exception 02 (IllegalDataAddress)")]
    public async Task WriteAsync_RefusedWrites_StatusAndReasonAndNothingWritten(string tag, double value, TagWriteStatus status, string reason)
    {
        await using var host = await StartAsync(
            Tag("speed", 100, ModbusDataType.Int16, ByteOrder.ABCD, scale: 0.1),
            new ModbusTagConfig("readonly", ModbusRegisterArea.Holding, 101, ModbusDataType.Int16, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("input", ModbusRegisterArea.Input, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null, Writable: true),
            Tag("missing", 300, ModbusDataType.UInt16, ByteOrder.ABCD));
        var before = await ReadAsync(100, 2);

        var result = await Writer(host).WriteAsync("plc", tag, TagValue.FromNumber(value), CancellationToken.None);

        Assert.Equal(status, result.Status);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ReadAsync(100, 2));
        Assert.Equal(PymodbusRegisterTable.Entries.Single(e => e.Area == ModbusRegisterArea.Input && e.Address == 0).Value, (await ReadInputAsync(0))[0]);
    }

    [Fact]
    public void Serves_OnlyTheModbusDevicesOfTheSite()
    {
        var masters = new Modbus.Polling.ModbusMasters(new SiteConfig([Device(Tag("x", 80, ModbusDataType.UInt16, ByteOrder.ABCD))]), TimeProvider.System);
        using var _ = masters;

        Assert.True(new Modbus.Writes.ModbusTagWriter(masters, null!, null!).Serves("plc"));
        Assert.False(new Modbus.Writes.ModbusTagWriter(masters, null!, null!).Serves("other"));
    }

    private static ModbusTagConfig Tag(string name, ushort address, ModbusDataType type, ByteOrder order, double scale = 1, double offset = 0, int length = 0) =>
        new(name, ModbusRegisterArea.Holding, address, type, order, scale, offset, null, Length: length, Writable: true);

    private ModbusTcpDeviceConfig Device(params ModbusTagConfig[] tags) =>
        new("plc", "127.0.0.1", server.Port, 1, Poll, TimeSpan.FromSeconds(3), tags);

    private Task<PollingHost> StartAsync(params ModbusTagConfig[] tags) => PollingHost.StartAsync(new SiteConfig([Device(tags)]));

    private static ITagWriter Writer(PollingHost host) => Assert.Single(host.Services.GetServices<ITagWriter>());

    private async Task<ushort[]> ReadAsync(ushort address, int count)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        return await master.ReadHoldingRegistersAsync(1, address, count, CancellationToken.None);
    }

    private async Task<ushort[]> ReadInputAsync(ushort address)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        return await master.ReadInputRegistersAsync(1, address, 1, CancellationToken.None);
    }

    private async Task WriteRawAsync(ushort address, ushort value)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3));
        await master.WriteSingleRegisterAsync(1, address, value, CancellationToken.None);
    }
}
