namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The device did not answer one request within the per-request timeout. The connection stays
/// open: a late reply is recognised by its transaction id and discarded, never attributed to a
/// later request.
/// </summary>
public sealed class ModbusTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public ModbusTimeoutException()
        : this("The Modbus device did not answer in time")
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ModbusTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    public ModbusTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
