namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// The device answered with a Modbus exception response. The connection is healthy: only this
/// request failed. <see cref="FunctionCode"/> is the request's function code (without 0x80).
/// </summary>
public sealed class ModbusException : Exception
{
    /// <summary>Creates the exception for a device's exception response.</summary>
    public ModbusException(ModbusFunctionCode functionCode, ModbusExceptionCode exceptionCode)
        : base($"Modbus exception {(byte)exceptionCode:X2} ({exceptionCode}) for function {(byte)functionCode:X2} ({functionCode})")
    {
        FunctionCode = functionCode;
        ExceptionCode = exceptionCode;
    }

    /// <summary>Creates an exception with a message only (exception code unknown).</summary>
    public ModbusException()
        : this("Modbus exception response")
    {
    }

    /// <summary>Creates an exception with a message only (exception code unknown).</summary>
    public ModbusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public ModbusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The function code of the request that failed.</summary>
    public ModbusFunctionCode FunctionCode { get; }

    /// <summary>The exception code the device returned.</summary>
    public ModbusExceptionCode ExceptionCode { get; }
}
