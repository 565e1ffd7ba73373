namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The connection to the device could not be made or was lost (refused, reset, closed by the
/// peer, unreachable). The master has closed its side; the next call reconnects.
/// <see cref="WhileConnecting"/> tells a failed connect from a lost connection.
/// </summary>
public sealed class ModbusTransportException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ModbusTransportException()
        : this("The Modbus connection failed")
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ModbusTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    public ModbusTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the reason, a cause and the phase it happened in.</summary>
    public ModbusTransportException(string message, Exception? innerException, bool whileConnecting)
        : base(message, innerException)
    {
        WhileConnecting = whileConnecting;
    }

    /// <summary>True when the connection could not be made; false when an open connection failed.</summary>
    public bool WhileConnecting { get; }
}
