using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>One way to read a tag's registers that gives a value in the expected range.</summary>
/// <param name="Type">Data type.</param>
/// <param name="Order">Byte order (for one-register types only ABCD and BADC differ).</param>
/// <param name="Scale">Multiplier applied to the raw value.</param>
/// <param name="Value">The engineering value this reading gives.</param>
/// <param name="Score">Higher is more plausible; only comparable within one ranking.</param>
public sealed record WordOrderCandidate(ModbusDataType Type, ByteOrder Order, double Scale, double Value, double Score);
