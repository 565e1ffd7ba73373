using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// What a Modbus exception code means for the tags of the read that got it, in installer terms.
/// The code itself always travels as the point's status detail, so nothing is lost by the mapping:
/// <list type="table">
/// <item><term>01 IllegalFunction, 02 IllegalDataAddress, 03 IllegalDataValue</term><description>BadConfiguration: the device will refuse this read every time (wrong area, address, or a block larger than it takes: lower maxBlock or maxGap).</description></item>
/// <item><term>04 ServerDeviceFailure, 05 Acknowledge, 06 ServerDeviceBusy</term><description>BadDeviceException: the device itself failed or is busy; it may pass.</description></item>
/// <item><term>0A GatewayPathUnavailable</term><description>BadCommunication: the gateway has no path to the target (its serial side or routing).</description></item>
/// <item><term>0B GatewayTargetFailedToRespond</term><description>BadTimeout: the target behind the gateway did not answer, a timeout reported by the gateway.</description></item>
/// </list>
/// Codes outside the spec's list are BadDeviceException.
/// </summary>
public static class ModbusExceptionQuality
{
    /// <summary>The point quality for tags whose read got <paramref name="code"/>.</summary>
    public static PointQuality For(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction or ModbusExceptionCode.IllegalDataAddress or ModbusExceptionCode.IllegalDataValue => PointQuality.BadConfiguration,
        ModbusExceptionCode.GatewayPathUnavailable => PointQuality.BadCommunication,
        ModbusExceptionCode.GatewayTargetFailedToRespond => PointQuality.BadTimeout,
        _ => PointQuality.BadDeviceException,
    };

    /// <summary>The code as counters and messages name it: two hex digits and the name, for example <c>02 IllegalDataAddress</c>.</summary>
    public static string Name(ModbusExceptionCode code) =>
        Enum.IsDefined(code) ? $"{(byte)code:X2} {code}" : $"{(byte)code:X2} Unknown";

    /// <summary>What an installer should check for <paramref name="code"/>, as one sentence after a colon.</summary>
    public static string Hint(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction => ": this device does not serve this area or function; try another area (holding, input, coil, discrete-input)",
        ModbusExceptionCode.IllegalDataAddress => ": part of this range does not exist; check the address (0-based, not 4xxxx) and read fewer registers",
        ModbusExceptionCode.IllegalDataValue => ": the device refuses this many registers at once; read fewer (maxBlock in the config)",
        ModbusExceptionCode.ServerDeviceFailure => ": the device failed while reading; check its own display or log",
        ModbusExceptionCode.Acknowledge => ": the device accepted a long-running request; read again later",
        ModbusExceptionCode.ServerDeviceBusy => ": the device is busy; if this persists lengthen the poll interval",
        ModbusExceptionCode.GatewayPathUnavailable => ": the gateway has no path to that unit; check the gateway's routing and serial port settings",
        ModbusExceptionCode.GatewayTargetFailedToRespond => ": the gateway got no answer from that unit id; check the unit id and the gateway's serial side (baud rate, wiring)",
        _ => ": an exception code outside the Modbus specification; see the device's manual",
    };
}
