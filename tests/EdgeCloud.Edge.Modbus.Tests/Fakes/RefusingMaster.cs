using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Tests.Fakes;

/// <summary>
/// Imitates a master whose device refuses every connection, and records when each attempt was
/// made: a real closed port refuses just the same but cannot tell the test when it was tried,
/// which is what checking the backoff schedule needs.
/// </summary>
internal sealed class RefusingMaster(TimeProvider time) : IModbusMaster
{
    public List<DateTimeOffset> Attempts { get; } = [];

    public bool IsConnected => false;

    public ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        Attempts.Add(time.GetUtcNow());
        throw new ModbusTransportException("cannot connect: ConnectionRefused", null, whileConnecting: true);
    }

    public ValueTask ExecuteAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("never connected");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
