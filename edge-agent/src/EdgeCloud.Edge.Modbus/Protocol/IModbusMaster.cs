namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// A Modbus master (client) for one link: a TCP connection today, a serial bus later. Requests are
/// served one at a time in call order; every call connects first if the link is down.
/// Failures surface as <see cref="ModbusException"/> (the device refused the request; the link is
/// fine), <see cref="ModbusTimeoutException"/> (no answer in time), <see cref="ModbusTransportException"/>
/// (link down) or <see cref="ModbusProtocolException"/> (garbage on the link; it was closed).
/// </summary>
public interface IModbusMaster : IAsyncDisposable
{
    /// <summary>True while the link is open.</summary>
    bool IsConnected { get; }

    /// <summary>Opens the link if it is not open; returns at once when it is.</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Reads <c>destination.Length</c> (1-125) holding registers starting at <paramref name="startAddress"/> (function 3).</summary>
    ValueTask ReadHoldingRegistersAsync(byte unitId, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken);

    /// <summary>Reads <c>destination.Length</c> (1-125) input registers starting at <paramref name="startAddress"/> (function 4).</summary>
    ValueTask ReadInputRegistersAsync(byte unitId, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken);

    /// <summary>Writes one holding register (function 6).</summary>
    ValueTask WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken);

    /// <summary>Writes <c>values.Length</c> (1-123) holding registers starting at <paramref name="startAddress"/> (function 16).</summary>
    ValueTask WriteMultipleRegistersAsync(byte unitId, ushort startAddress, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken);
}
