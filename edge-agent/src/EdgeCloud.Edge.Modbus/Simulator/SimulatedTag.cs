using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// One value the simulator serves: where it lives, how it is encoded, how a tag scales it, the
/// range its engineering value stays in, and the raw value as a function of the seconds since the
/// simulator started.
/// </summary>
/// <param name="Name">Tag name in the sample site config.</param>
/// <param name="Area">Register table.</param>
/// <param name="Address">First register.</param>
/// <param name="Type">Encoding type.</param>
/// <param name="Order">Byte order.</param>
/// <param name="Scale">Engineering = raw * Scale + Offset.</param>
/// <param name="Offset">Added after scaling.</param>
/// <param name="Unit">Engineering unit.</param>
/// <param name="Min">Lowest engineering value served (before any write).</param>
/// <param name="Max">Highest engineering value served (before any write).</param>
/// <param name="RawAt">Raw value at a number of seconds after start; integral for integer types, 0 or 1 for a bit.</param>
/// <param name="Text">For a string: the text served.</param>
/// <param name="Length">For a string: registers.</param>
/// <param name="Bit">For a bool in a register: the bit.</param>
internal sealed record SimulatedTag(
    string Name,
    ModbusRegisterArea Area,
    ushort Address,
    ModbusDataType Type,
    ByteOrder Order,
    double Scale,
    double Offset,
    string Unit,
    double Min,
    double Max,
    Func<double, double> RawAt,
    string? Text = null,
    int Length = 0,
    byte? Bit = null)
{
    /// <summary>The tag as the config loader would produce it.</summary>
    public ModbusTagConfig ToTagConfig() => new(Name, Area, Address, Type, Order, Scale, Offset, Unit, Bit, Length);
}
