namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>How the simulator listens.</summary>
internal sealed record ModbusSimulatorOptions
{
    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="ModbusSimulator.EndPoint"/>). Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Listen on 0.0.0.0 instead of 127.0.0.1 (to test wiring from another machine). Default false.</summary>
    public bool ListenOnAllInterfaces { get; init; }

    /// <summary>The unit id served. Default 1.</summary>
    public byte UnitId { get; init; } = 1;

    /// <summary>The values served; null for the built-in map (<see cref="SimulatorRegisterMap"/>).</summary>
    public DeviceProfile? Profile { get; init; }

    /// <summary>Most clients served at once; more are closed right after accept. Default 64.</summary>
    public int MaxClients { get; init; } = 64;
}
