namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// A Modbus RTU slave on a serial line (RS-485 or RS-232). Devices whose <see cref="SerialLineConfig.Port"/>
/// is the same share one bus and one master; the loader makes sure they agree on the line settings
/// and do not share a unit id.
/// </summary>
/// <param name="Name">Unique device name.</param>
/// <param name="Line">The serial line and its settings.</param>
/// <param name="UnitId">Slave address, 1-247 (0 is broadcast, 248-255 are reserved).</param>
/// <param name="PollInterval">Time between the starts of two polls.</param>
/// <param name="Timeout">How long one request may take; while it runs the whole bus waits.</param>
/// <param name="Tags">The tags read from this device; unique names.</param>
public sealed record ModbusRtuDeviceConfig(
    string Name,
    SerialLineConfig Line,
    byte UnitId,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    IReadOnlyList<ModbusTagConfig> Tags) : ModbusDeviceConfig(Name, ProtocolName, UnitId, PollInterval, Timeout, Tags)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "modbus-rtu";

    /// <inheritdoc />
    public override string Endpoint => Line.Port;
}

/// <summary>
/// A Modbus RTU slave behind a serial device server that passes RTU frames through a TCP socket
/// unchanged ("RTU over TCP"). Devices with the same host and port share that connection as a bus.
/// </summary>
/// <param name="Name">Unique device name.</param>
/// <param name="Host">Host name or IP address of the serial device server.</param>
/// <param name="Port">TCP port, 1-65535.</param>
/// <param name="UnitId">Slave address, 1-247.</param>
/// <param name="PollInterval">Time between the starts of two polls.</param>
/// <param name="Timeout">How long one request may take.</param>
/// <param name="Tags">The tags read from this device; unique names.</param>
public sealed record ModbusRtuTcpDeviceConfig(
    string Name,
    string Host,
    int Port,
    byte UnitId,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    IReadOnlyList<ModbusTagConfig> Tags) : ModbusDeviceConfig(Name, ProtocolName, UnitId, PollInterval, Timeout, Tags)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "modbus-rtu-tcp";

    /// <inheritdoc />
    public override string Endpoint => $"{Host}:{Port}";
}

/// <summary>A serial line: device path and UART settings. Equal records describe the same bus settings.</summary>
/// <param name="Port">Device path, for example <c>/dev/ttyUSB0</c> or <c>/dev/serial/by-id/...</c>.</param>
/// <param name="BaudRate">Bits per second (19200 by default, the Modbus default).</param>
/// <param name="Parity">Parity bit (even by default, the Modbus default).</param>
/// <param name="DataBits">8 for RTU.</param>
/// <param name="StopBits">1 or 2.</param>
public sealed record SerialLineConfig(string Port, int BaudRate, SerialParity Parity, int DataBits, int StopBits);

/// <summary>The parity bit of a serial line.</summary>
public enum SerialParity
{
    /// <summary>No parity bit.</summary>
    None,

    /// <summary>Even parity.</summary>
    Even,

    /// <summary>Odd parity.</summary>
    Odd,
}
