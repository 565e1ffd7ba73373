using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// One read request of a poll: <see cref="Count"/> registers (1-125) or bits (1-2000, for coils and
/// discrete inputs) of one area from <see cref="Start"/>, covering every tag listed in <see cref="Tags"/> completely.
/// </summary>
/// <param name="Area">Holding or input registers, coils or discrete inputs.</param>
/// <param name="Start">First register or bit.</param>
/// <param name="Count">Number of registers (1-125) or bits (1-2000).</param>
/// <param name="Tags">Indexes into the device's tag list of the tags this read serves.</param>
internal sealed record ReadBlock(ModbusRegisterArea Area, ushort Start, int Count, IReadOnlyList<int> Tags);
