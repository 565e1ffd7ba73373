using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// One device's view of an <see cref="RtuBus"/>. Requests go to the shared master with this
/// device's timeout; while the device is quarantined (see <see cref="SlaveQuarantine"/>) they fail
/// at once with <see cref="ModbusTimeoutException"/> and never reach the line. Disposing the view
/// leaves the bus open for the other devices. Thread-safe: the device's poll loop and its tag
/// writes call it at once; the master serialises them on the line.
/// </summary>
internal sealed class RtuBusClient : IModbusMaster
{
    private readonly RtuMaster _master;
    private readonly TimeSpan _timeout;
    private readonly SlaveQuarantine _quarantine;
    private readonly Lock _lock = new();
    private long _sent;
    private long _refused;

    internal RtuBusClient(RtuMaster master, TimeSpan timeout, SlaveQuarantine quarantine)
    {
        _master = master;
        _timeout = timeout;
        _quarantine = quarantine;
    }

    /// <inheritdoc />
    public bool IsConnected => _master.IsConnected;

    /// <summary>The device's quarantine state.</summary>
    public SlaveQuarantine Quarantine => _quarantine;

    /// <summary>Requests this device put on the line.</summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    /// <summary>Requests failed at once because the device was quarantined.</summary>
    public long RequestsRefused => Interlocked.Read(ref _refused);

    /// <inheritdoc />
    public ValueTask ConnectAsync(CancellationToken cancellationToken) => _master.ConnectAsync(cancellationToken);

    /// <summary>Leaves the bus to its other devices: the bus owns and closes the master.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask ExecuteAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        bool quarantined;
        TimeSpan remaining;
        lock (_lock)
        {
            quarantined = _quarantine.IsQuarantined(out remaining);
        }

        if (quarantined)
        {
            Interlocked.Increment(ref _refused);
            throw new ModbusTimeoutException(
                $"{_master.Endpoint} unit {unitId} is quarantined for another {remaining.TotalMilliseconds:0} ms after {_quarantine.ConsecutiveTimeouts} timeouts in a row");
        }

        Interlocked.Increment(ref _sent);
        try
        {
            await _master.ExecuteAsync(unitId, request, _timeout, cancellationToken);
            Record(answered: true);
        }
        catch (ModbusException)
        {
            Record(answered: true);
            throw;
        }
        catch (ModbusTimeoutException)
        {
            Record(answered: false);
            throw;
        }
    }

    private void Record(bool answered)
    {
        lock (_lock)
        {
            if (answered)
            {
                _quarantine.Answered();
            }
            else
            {
                _quarantine.TimedOut();
            }
        }
    }
}
