using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Makes the master a device is polled through, so one poll loop serves Modbus TCP, RTU and RTU
/// over TCP. The factory owns what devices share (an RTU bus); the caller owns what it gets.
/// </summary>
internal interface IModbusMasterFactory : IAsyncDisposable
{
    /// <summary>The master for <paramref name="device"/>; disposing it never closes a bus other devices use.</summary>
    IModbusMaster Create(ModbusDeviceConfig device);
}
