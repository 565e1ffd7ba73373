namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// A reply on an RTU line (serial, or RTU framing over TCP) failed its checks: bad CRC, cut short,
/// or not a reply to this request (wrong unit id, function or byte count). Nothing from the frame
/// was used. Unlike <see cref="ModbusProtocolException"/> the link stays open: the master has
/// waited for the line to fall silent and discarded what was left, so the next request starts on
/// a frame boundary. Noise on an RS-485 line is routine; it costs one request, not a reconnect.
/// </summary>
public sealed class ModbusCorruptFrameException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ModbusCorruptFrameException()
        : this("corrupt Modbus RTU frame")
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ModbusCorruptFrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    public ModbusCorruptFrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the kind of corruption and the detail.</summary>
    public ModbusCorruptFrameException(CorruptFrameKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>What was wrong with the frame.</summary>
    public CorruptFrameKind Kind { get; }
}
