namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>
/// A Modbus master (client) for one link: a TCP connection, or one device's view of a serial bus.
/// Requests are served one at a time in call order; every call connects first if the link is down.
/// The typed calls (read registers or coils, write them) are extension methods in
/// <see cref="ModbusMasterExtensions"/> over the one <see cref="ExecuteAsync"/>.
/// Failures surface as <see cref="ModbusException"/> (the device refused the request; the link is
/// fine), <see cref="ModbusTimeoutException"/> (no answer in time), <see cref="ModbusTransportException"/>
/// (link down), <see cref="ModbusProtocolException"/> (garbage on the link; it was closed) or
/// <see cref="ModbusCorruptFrameException"/> (a bad RTU frame; the line was resynchronised).
/// </summary>
public interface IModbusMaster : IAsyncDisposable
{
    /// <summary>True while the link is open.</summary>
    bool IsConnected { get; }

    /// <summary>Opens the link if it is not open; returns at once when it is.</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="unitId"/> and checks the reply; a read
    /// fills the request's destination only when the whole reply passed its checks.
    /// </summary>
    ValueTask ExecuteAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken);
}
