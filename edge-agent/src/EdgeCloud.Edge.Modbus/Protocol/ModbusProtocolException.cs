namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The peer sent a frame that breaks the protocol (bad protocol id, bad length, wrong function
/// code, byte count mismatch, wrong unit id). The byte stream cannot be trusted afterwards, so
/// the master has closed the connection by the time this is thrown; the next call reconnects.
/// </summary>
public sealed class ModbusProtocolException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ModbusProtocolException()
        : this("The Modbus peer broke the protocol")
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ModbusProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    public ModbusProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
