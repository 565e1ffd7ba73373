using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>
/// The values pymodbus_server.py writes (encoded there with Python's struct module). Must match
/// the TABLE in that script, entry for entry.
/// </summary>
internal static class PymodbusRegisterTable
{
    public static readonly IReadOnlyList<(ModbusRegisterArea Area, ushort Address, ModbusDataType Type, ByteOrder Order, double Value)> Entries =
    [
        (ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.ABCD, -2),
        (ModbusRegisterArea.Holding, 1, ModbusDataType.Int16, ByteOrder.BADC, -2),
        (ModbusRegisterArea.Holding, 2, ModbusDataType.UInt16, ByteOrder.ABCD, 0x1234),
        (ModbusRegisterArea.Holding, 3, ModbusDataType.UInt16, ByteOrder.CDAB, 0x1234),
        (ModbusRegisterArea.Holding, 4, ModbusDataType.UInt16, ByteOrder.BADC, 0x1234),
        (ModbusRegisterArea.Holding, 5, ModbusDataType.UInt16, ByteOrder.DCBA, 0x1234),
        (ModbusRegisterArea.Holding, 6, ModbusDataType.Int16, ByteOrder.DCBA, -12345),
        (ModbusRegisterArea.Holding, 10, ModbusDataType.Float32, ByteOrder.ABCD, 123.456f),
        (ModbusRegisterArea.Holding, 12, ModbusDataType.Float32, ByteOrder.CDAB, 123.456f),
        (ModbusRegisterArea.Holding, 14, ModbusDataType.Float32, ByteOrder.BADC, 123.456f),
        (ModbusRegisterArea.Holding, 16, ModbusDataType.Float32, ByteOrder.DCBA, 123.456f),
        (ModbusRegisterArea.Holding, 20, ModbusDataType.Int32, ByteOrder.ABCD, -123456789),
        (ModbusRegisterArea.Holding, 22, ModbusDataType.Int32, ByteOrder.CDAB, -123456789),
        (ModbusRegisterArea.Holding, 24, ModbusDataType.Int32, ByteOrder.BADC, -123456789),
        (ModbusRegisterArea.Holding, 26, ModbusDataType.Int32, ByteOrder.DCBA, -123456789),
        (ModbusRegisterArea.Holding, 30, ModbusDataType.UInt32, ByteOrder.ABCD, 0xDEADBEEF),
        (ModbusRegisterArea.Holding, 32, ModbusDataType.UInt32, ByteOrder.CDAB, 0xDEADBEEF),
        (ModbusRegisterArea.Holding, 34, ModbusDataType.UInt32, ByteOrder.BADC, 0xDEADBEEF),
        (ModbusRegisterArea.Holding, 36, ModbusDataType.UInt32, ByteOrder.DCBA, 0xDEADBEEF),
        (ModbusRegisterArea.Input, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 65535),
        (ModbusRegisterArea.Input, 1, ModbusDataType.Int16, ByteOrder.BADC, -300),
        (ModbusRegisterArea.Input, 2, ModbusDataType.Float32, ByteOrder.DCBA, -0.15625),
        (ModbusRegisterArea.Input, 4, ModbusDataType.UInt32, ByteOrder.CDAB, 4000000000),
        (ModbusRegisterArea.Input, 6, ModbusDataType.Int32, ByteOrder.ABCD, -2),
        (ModbusRegisterArea.Input, 8, ModbusDataType.Float32, ByteOrder.CDAB, 1013.25f),
        (ModbusRegisterArea.Holding, 40, ModbusDataType.Int64, ByteOrder.ABCD, -0x0123456789ABCDF0),
        (ModbusRegisterArea.Holding, 44, ModbusDataType.Int64, ByteOrder.DCBA, -0x0123456789ABCDF0),
        (ModbusRegisterArea.Holding, 54, ModbusDataType.UInt64, ByteOrder.CDAB, 0x0123456789ABCDF0),
        (ModbusRegisterArea.Input, 10, ModbusDataType.Float64, ByteOrder.ABCD, -2.718281828459045),
        (ModbusRegisterArea.Input, 14, ModbusDataType.Float64, ByteOrder.CDAB, -2.718281828459045),
        (ModbusRegisterArea.Input, 18, ModbusDataType.Float64, ByteOrder.BADC, 6.02214076e23),
        (ModbusRegisterArea.Input, 22, ModbusDataType.Float64, ByteOrder.DCBA, 6.02214076e23),
        (ModbusRegisterArea.Input, 26, ModbusDataType.Int64, ByteOrder.BADC, 987654321012),
    ];

    /// <summary>Holding registers the script serves: 0-127.</summary>
    public const int HoldingSize = 128;

    /// <summary>Coils and discrete inputs the script serves: 0-2047.</summary>
    public const int BitCount = 2048;

    /// <summary>Registers of each string in <see cref="Strings"/>.</summary>
    public const int StringLength = 8;

    /// <summary>The STRINGS of the script: holding address, byte order, text as written (NUL-padded).</summary>
    public static readonly IReadOnlyList<(ushort Address, ByteOrder Order, string Text)> Strings =
    [
        (64, ByteOrder.ABCD, "EdgeCloud-7"),
        (72, ByteOrder.BADC, "SN 0042  "),
    ];

    /// <summary>Coil i of the script.</summary>
    public static bool Coil(int i) => i % 3 == 0;

    /// <summary>Discrete input i of the script.</summary>
    public static bool DiscreteInput(int i) => i % 2 == 1;

    /// <summary>The table as tags, named area-address, with identity scaling.</summary>
    public static IReadOnlyList<ModbusTagConfig> Tags() =>
        [.. Entries.Select(e => new ModbusTagConfig($"{e.Area.ToString().ToLowerInvariant()}-{e.Address}", e.Area, e.Address, e.Type, e.Order, 1, 0, null))];
}
