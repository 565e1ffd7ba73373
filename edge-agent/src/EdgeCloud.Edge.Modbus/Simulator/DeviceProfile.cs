using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// What a simulated device serves: its unit id, the size of each table and the values in it
/// (<see cref="SimulatedTag"/>: constants or waveforms). Every tag lies inside its table and no two
/// tags share a register or bit (except bit tags of one register); <see cref="DeviceProfileLoader"/>
/// makes sure of it for a profile file.
/// </summary>
/// <param name="UnitId">The unit id served.</param>
/// <param name="Holding">Holding registers served (0 to Holding - 1).</param>
/// <param name="Input">Input registers served.</param>
/// <param name="Coils">Coils served.</param>
/// <param name="DiscreteInputs">Discrete inputs served.</param>
/// <param name="Tags">The values served.</param>
internal sealed record DeviceProfile(byte UnitId, int Holding, int Input, int Coils, int DiscreteInputs, IReadOnlyList<SimulatedTag> Tags)
{
    /// <summary>The built-in map of <see cref="SimulatorRegisterMap"/> (unit 1).</summary>
    public static DeviceProfile Default { get; } =
        new(1, SimulatorRegisterMap.HoldingCount, SimulatorRegisterMap.InputCount, 0, 0, SimulatorRegisterMap.Tags);

    /// <summary>Size of <paramref name="area"/>.</summary>
    public int Size(ModbusRegisterArea area) => area switch
    {
        ModbusRegisterArea.Holding => Holding,
        ModbusRegisterArea.Input => Input,
        ModbusRegisterArea.Coil => Coils,
        _ => DiscreteInputs,
    };
}
