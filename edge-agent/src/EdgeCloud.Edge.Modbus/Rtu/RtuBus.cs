using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// One RTU bus: a serial port (or one RTU-over-TCP connection to a serial gateway) and the single
/// <see cref="RtuMaster"/> that drives it, shared by every device on the bus. Each device gets its
/// own <see cref="IModbusMaster"/> view from <see cref="Attach"/> with its unit id's timeout and
/// quarantine; all requests are serialised by the master, in arrival order, so devices polling
/// at the same time take turns request by request. The bus owns the master; views do not.
/// </summary>
internal sealed class RtuBus : IAsyncDisposable
{
    private readonly RtuMaster _master;
    private readonly TimeProvider _time;

    /// <summary>Creates the bus over <paramref name="transport"/> (owned; opened on first use).</summary>
    public RtuBus(IRtuTransport transport, TimeProvider time)
    {
        _time = time;

        // The master's own timeout serves only ConnectAsync; every request carries its device's timeout.
        _master = new RtuMaster(transport, TimeSpan.FromSeconds(5), time);
    }

    /// <summary>The serial device path or host:port.</summary>
    public string Endpoint => _master.Endpoint;

    /// <summary>The master, for its counters.</summary>
    public RtuMaster Master => _master;

    /// <summary>A view of the bus for one device: its requests carry <paramref name="timeout"/> and go through its quarantine.</summary>
    public RtuBusClient Attach(TimeSpan timeout, Func<double>? jitter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new RtuBusClient(_master, timeout, new SlaveQuarantine(_time, jitter));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _master.DisposeAsync();
}
