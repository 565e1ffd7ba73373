namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// Exception codes a Modbus server returns in an exception response (Modbus Application
/// Protocol v1.1b3, section 7). Codes outside this list can still arrive and are kept as numbers.
/// </summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>0x01: the function code is not supported by the server.</summary>
    IllegalFunction = 0x01,

    /// <summary>0x02: the address range is not served.</summary>
    IllegalDataAddress = 0x02,

    /// <summary>0x03: a value in the request (for example the quantity) is not allowed.</summary>
    IllegalDataValue = 0x03,

    /// <summary>0x04: the server failed while performing the action.</summary>
    ServerDeviceFailure = 0x04,

    /// <summary>0x05: accepted, but it takes long; poll later.</summary>
    Acknowledge = 0x05,

    /// <summary>0x06: busy with a long command; retry later.</summary>
    ServerDeviceBusy = 0x06,

    /// <summary>0x0A: a gateway could not route the request to the target.</summary>
    GatewayPathUnavailable = 0x0A,

    /// <summary>0x0B: a gateway got no answer from the target device.</summary>
    GatewayTargetFailedToRespond = 0x0B,
}
