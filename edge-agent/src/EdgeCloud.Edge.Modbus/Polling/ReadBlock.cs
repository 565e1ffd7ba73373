using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// One read request of a poll: <see cref="Count"/> (1-125) registers of one area from
/// <see cref="Start"/>, covering every tag listed in <see cref="Tags"/> completely.
/// </summary>
/// <param name="Area">Holding or input registers.</param>
/// <param name="Start">First register.</param>
/// <param name="Count">Number of registers, 1-125.</param>
/// <param name="Tags">Indexes into the device's tag list of the tags this read serves.</param>
internal sealed record ReadBlock(ModbusRegisterArea Area, ushort Start, int Count, IReadOnlyList<int> Tags);
