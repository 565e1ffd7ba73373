namespace EdgeCloud.Edge.Configuration;

/// <summary>How a tag's registers are interpreted.</summary>
public enum ModbusDataType
{
    /// <summary>One register, two's complement.</summary>
    Int16,

    /// <summary>One register, unsigned.</summary>
    UInt16,

    /// <summary>Two registers, two's complement.</summary>
    Int32,

    /// <summary>Two registers, unsigned.</summary>
    UInt32,

    /// <summary>Two registers, IEEE-754 single.</summary>
    Float32,

    /// <summary>Four registers, two's complement.</summary>
    Int64,

    /// <summary>Four registers, unsigned.</summary>
    UInt64,

    /// <summary>Four registers, IEEE-754 double.</summary>
    Float64,

    /// <summary>One bit (<see cref="ModbusTagConfig.Bit"/>, 0 = least significant) of one register, or one coil or discrete input.</summary>
    Bool,

    /// <summary>
    /// Text in <see cref="ModbusTagConfig.Length"/> registers, two 8-bit characters each (Latin-1),
    /// cut at the first NUL and trimmed of spaces.
    /// </summary>
    String,
}

/// <summary>
/// Order of the bytes of a multi-register value, named by where the most significant byte "A"
/// lands: ABCD is big-endian (the Modbus default), CDAB swaps words, BADC swaps bytes within each
/// word, DCBA is fully little-endian. For a one-register type only the byte swap matters. For a
/// four-register type the names generalise as word order plus byte swap: ABCD and BADC put the
/// most significant register first, CDAB and DCBA the least significant; BADC and DCBA swap the
/// two bytes inside every register.
/// </summary>
public enum ByteOrder
{
    /// <summary>Big-endian bytes, big-endian words.</summary>
    ABCD,

    /// <summary>Big-endian bytes, little-endian words ("word swap").</summary>
    CDAB,

    /// <summary>Little-endian bytes, big-endian words ("byte swap").</summary>
    BADC,

    /// <summary>Little-endian bytes, little-endian words.</summary>
    DCBA,
}

/// <summary>Which Modbus table a tag reads.</summary>
public enum ModbusRegisterArea
{
    /// <summary>Holding registers, function code 3 (written with 6 or 16).</summary>
    Holding,

    /// <summary>Input registers, function code 4.</summary>
    Input,

    /// <summary>Coils (read/write bits), function code 1 (written with 5 or 15).</summary>
    Coil,

    /// <summary>Discrete inputs (read-only bits), function code 2.</summary>
    DiscreteInput,
}

/// <summary>Facts about <see cref="ModbusDataType"/> and <see cref="ModbusRegisterArea"/>.</summary>
public static class ModbusDataTypeExtensions
{
    /// <summary>How many 16-bit registers the type occupies (a string: see <see cref="ModbusTagConfig.Width"/>).</summary>
    public static int RegisterCount(this ModbusDataType type) => type switch
    {
        ModbusDataType.Int16 or ModbusDataType.UInt16 or ModbusDataType.Bool => 1,
        ModbusDataType.Int64 or ModbusDataType.UInt64 or ModbusDataType.Float64 => 4,
        ModbusDataType.String => 0,
        _ => 2,
    };

    /// <summary>True for the bit tables (coils and discrete inputs).</summary>
    public static bool IsBits(this ModbusRegisterArea area) => area is ModbusRegisterArea.Coil or ModbusRegisterArea.DiscreteInput;
}
