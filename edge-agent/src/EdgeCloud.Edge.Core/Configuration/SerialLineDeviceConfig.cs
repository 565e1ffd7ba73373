namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// A sensor that sends text lines on a serial port and is not Modbus (a scale, a GPS/NMEA receiver,
/// an analyser printing readings). Every complete line that matches <see cref="LinePrefix"/> is cut
/// into fields per <see cref="Format"/>; each configured field becomes one tag. Invariants: field
/// tags have unique names; delimited fields have an index, regex fields name a group of
/// <see cref="Pattern"/>, fixed-width fields have a start and a length.
/// </summary>
/// <param name="Name">Unique device name.</param>
/// <param name="Line">The serial line and its settings (the port must not also be a Modbus bus).</param>
/// <param name="LineEnd">What ends a line ("\n" by default; a trailing "\r" is dropped either way).</param>
/// <param name="LinePrefix">Only lines starting with this are read (for example "$GPGGA"); null for all.</param>
/// <param name="Format">How a line is cut into fields.</param>
/// <param name="Delimiter">For <see cref="SerialLineFormat.Delimited"/>: the field separator.</param>
/// <param name="Pattern">For <see cref="SerialLineFormat.Regex"/>: a .NET regular expression with named groups.</param>
/// <param name="Fields">The fields read, each mapped to a tag.</param>
public sealed record SerialLineDeviceConfig(
    string Name,
    SerialLineConfig Line,
    string LineEnd,
    string? LinePrefix,
    SerialLineFormat Format,
    string Delimiter,
    string? Pattern,
    IReadOnlyList<SerialLineFieldConfig> Fields) : DeviceConfig(Name, ProtocolName)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "serial-line";
}

/// <summary>How a serial line is cut into fields.</summary>
public enum SerialLineFormat
{
    /// <summary>Fields separated by a delimiter, addressed by 0-based index.</summary>
    Delimited,

    /// <summary>Named groups of a regular expression.</summary>
    Regex,

    /// <summary>Fixed-width columns, addressed by 0-based start and length.</summary>
    Fixed,
}

/// <summary>The value type of a serial-line field.</summary>
public enum SerialLineFieldType
{
    /// <summary>A decimal number (invariant culture, '.' as the decimal point), scaled.</summary>
    Number,

    /// <summary>A whole number, exact unless scaled.</summary>
    Integer,

    /// <summary>Text as received, trimmed.</summary>
    Text,

    /// <summary>1/0, true/false, on/off, yes/no.</summary>
    Flag,
}

/// <summary>One field of a serial line, published as the tag <see cref="Tag"/>.</summary>
/// <param name="Tag">Tag name, unique in the device.</param>
/// <param name="Type">How the text is read.</param>
/// <param name="Index">Delimited: 0-based field index.</param>
/// <param name="Group">Regex: the named group.</param>
/// <param name="Start">Fixed: 0-based first column.</param>
/// <param name="Length">Fixed: columns.</param>
/// <param name="Scale">Multiplier for numbers (1 by default).</param>
/// <param name="Offset">Added after scaling (0 by default).</param>
/// <param name="Unit">Engineering unit, informative.</param>
public sealed record SerialLineFieldConfig(
    string Tag,
    SerialLineFieldType Type,
    int? Index,
    string? Group,
    int? Start,
    int? Length,
    double Scale,
    double Offset,
    string? Unit);
