namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The Modbus function codes this agent speaks (Modbus Application Protocol v1.1b3, section 6).
/// An exception response carries the request's code with bit 0x80 set.
/// </summary>
public enum ModbusFunctionCode : byte
{
    /// <summary>0x01: read a block of coils (read/write bits).</summary>
    ReadCoils = 0x01,

    /// <summary>0x02: read a block of discrete inputs (read-only bits).</summary>
    ReadDiscreteInputs = 0x02,

    /// <summary>0x03: read a block of holding registers.</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>0x04: read a block of input registers.</summary>
    ReadInputRegisters = 0x04,

    /// <summary>0x05: write one coil.</summary>
    WriteSingleCoil = 0x05,

    /// <summary>0x06: write one holding register.</summary>
    WriteSingleRegister = 0x06,

    /// <summary>0x0F: write a block of coils.</summary>
    WriteMultipleCoils = 0x0F,

    /// <summary>0x10: write a block of holding registers.</summary>
    WriteMultipleRegisters = 0x10,
}
