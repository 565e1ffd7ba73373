using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// The one master of each configured Modbus device, shared by its poll loop and its tag writes, so a
/// write waits its turn behind a poll on the same connection or bus (the same timeouts, the same
/// quarantine) instead of opening a second link a device or an RS-485 bus would not tolerate.
/// Masters are made on first use and closed when this is disposed (after the polling service has
/// stopped). Thread-safe.
/// </summary>
internal sealed class ModbusMasters(SiteConfig site, TimeProvider time, IModbusMasterFactory? factory = null) : IAsyncDisposable, IDisposable
{
    private readonly IModbusMasterFactory _factory = factory ?? new ModbusMasterFactory(time);
    private readonly Dictionary<string, IModbusMaster> _masters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>The Modbus devices of the site config.</summary>
    public IEnumerable<ModbusDeviceConfig> Devices => site.Devices.OfType<ModbusDeviceConfig>();

    /// <summary>RTU buses made so far (for the startup log line).</summary>
    public int Buses => _factory is ModbusMasterFactory real ? real.Buses.Count : 0;

    /// <summary>The device named <paramref name="name"/>, or null.</summary>
    public ModbusDeviceConfig? Find(string name) => Devices.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    /// <summary>The master of <paramref name="device"/>, made on first use.</summary>
    public IModbusMaster For(ModbusDeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_masters.TryGetValue(device.Name, out var master))
            {
                master = _factory.Create(device);
                _masters[device.Name] = master;
            }

            return master;
        }
    }

    /// <summary>
    /// For a container disposed synchronously: closing sockets and ports does not wait on I/O
    /// (each master waits at most for its request in flight, bounded by its timeout).
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes every master (TCP connections first, then the shared RTU buses).</summary>
    public async ValueTask DisposeAsync()
    {
        List<IModbusMaster> masters;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            masters = [.. _masters.Values];
            _masters.Clear();
        }

        foreach (var master in masters)
        {
            await master.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }
}
