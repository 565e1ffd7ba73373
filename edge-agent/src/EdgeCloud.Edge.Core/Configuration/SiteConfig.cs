namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The site config: devices and their tags (rules and models join later). Comes from a local
/// file or from the hub; always validated as a whole before it replaces the running one.
/// </summary>
/// <param name="Devices">Devices, with unique names.</param>
public sealed record SiteConfig(IReadOnlyList<DeviceConfig> Devices)
{
    /// <summary>The <c>rules</c> section; null when the site has none.</summary>
    public RulesConfig? Rules { get; init; }
    /// <summary>The optional <c>mqtt</c> section (hosted broker, northbound routes); null when absent.</summary>
    public MqttSiteConfig? Mqtt { get; init; }
}

/// <summary>Base of every device entry; <see cref="Protocol"/> selects the concrete type.</summary>
/// <param name="Name">Unique device name, used in tag addresses (<c>device/tag</c>).</param>
/// <param name="Protocol">Protocol name as written in the config.</param>
public abstract record DeviceConfig(string Name, string Protocol);

/// <summary>
/// What every Modbus device has, whatever carries its frames: a unit id, a poll interval, a
/// per-request timeout and tags whose register ranges do not overlap (bit tags excepted).
/// </summary>
/// <param name="Name">Unique device name.</param>
/// <param name="Protocol">Protocol name as written in the config.</param>
/// <param name="UnitId">Unit identifier (slave id).</param>
/// <param name="PollInterval">Time between the starts of two polls.</param>
/// <param name="Timeout">How long one request may take.</param>
/// <param name="Tags">The tags read from this device; unique names.</param>
public abstract record ModbusDeviceConfig(
    string Name,
    string Protocol,
    byte UnitId,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    IReadOnlyList<ModbusTagConfig> Tags) : DeviceConfig(Name, Protocol)
{
    /// <summary>Where the device is reached (host:port or a serial device path), for messages.</summary>
    public abstract string Endpoint { get; }

    /// <summary>Read planning and poll groups (<c>maxGap</c>, <c>maxBlock</c>, <c>pollGroups</c>).</summary>
    public ModbusPlanningConfig Planning { get; init; } = ModbusPlanningConfig.Default;
}

/// <summary>A Modbus TCP device (a PLC, a meter, a gateway to a serial bus).</summary>
/// <param name="Name">Unique device name.</param>
/// <param name="Host">Host name or IP address.</param>
/// <param name="Port">TCP port, 1-65535 (502 by default).</param>
/// <param name="UnitId">Unit identifier (slave id), 0-255; 1 by default (0xFF for some TCP-only devices).</param>
/// <param name="PollInterval">Time between the starts of two polls.</param>
/// <param name="Timeout">How long one request may take.</param>
/// <param name="Tags">The tags read from this device; unique names.</param>
public sealed record ModbusTcpDeviceConfig(
    string Name,
    string Host,
    int Port,
    byte UnitId,
    TimeSpan PollInterval,
    TimeSpan Timeout,
    IReadOnlyList<ModbusTagConfig> Tags) : ModbusDeviceConfig(Name, ProtocolName, UnitId, PollInterval, Timeout, Tags)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "modbus-tcp";

    /// <inheritdoc />
    public override string Endpoint => $"{Host}:{Port}";
}

/// <summary>One Modbus tag: where it lives, how to decode it and how to scale it.</summary>
/// <param name="Name">Tag name, unique in its device.</param>
/// <param name="Area">Holding or input registers.</param>
/// <param name="Address">0-based register address (protocol address, not the 4xxxx notation).</param>
/// <param name="DataType">How the registers are read.</param>
/// <param name="ByteOrder">Byte and word order of the value.</param>
/// <param name="Scale">Multiplier applied to the raw value (1 by default).</param>
/// <param name="Offset">Added after scaling (0 by default).</param>
/// <param name="Unit">Engineering unit, informative.</param>
/// <param name="Bit">For <see cref="ModbusDataType.Bool"/> in a register area only: the bit of the register, 0 (least significant) to 15.</param>
/// <param name="Length">For <see cref="ModbusDataType.String"/> only: registers of text (2 characters each).</param>
/// <param name="Writable">True when writes (rule actions, hub commands, the CLI) may change the tag.</param>
/// <param name="Group">The poll group whose interval the tag is read at; null for the device's own interval.</param>
public sealed record ModbusTagConfig(
    string Name,
    ModbusRegisterArea Area,
    ushort Address,
    ModbusDataType DataType,
    ByteOrder ByteOrder,
    double Scale,
    double Offset,
    string? Unit,
    byte? Bit = null,
    int Length = 0,
    bool Writable = false,
    string? Group = null)
{
    /// <summary>Addresses the tag occupies: registers, or 1 for a coil or discrete input.</summary>
    public int Width => Area.IsBits() ? 1 : DataType == ModbusDataType.String ? Length : DataType.RegisterCount();
}
