using System.IO.Ports;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// The production <see cref="IModbusMasterFactory"/>: a Modbus TCP device gets its own connection;
/// RTU devices get a view of the <see cref="RtuBus"/> of their serial port (or of their
/// RTU-over-TCP endpoint), made once and shared by every device on it, so there is exactly one
/// master per bus. Buses live until the factory is disposed. Not thread-safe: the polling service
/// creates every master before it starts polling.
/// </summary>
internal sealed class ModbusMasterFactory(TimeProvider time) : IModbusMasterFactory
{
    private readonly Dictionary<string, RtuBus> _buses = new(StringComparer.Ordinal);

    /// <summary>Buses made so far, by key (<c>serial:/dev/...</c> or <c>tcp:host:port</c>).</summary>
    public IReadOnlyDictionary<string, RtuBus> Buses => _buses;

    /// <inheritdoc />
    public IModbusMaster Create(ModbusDeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device switch
        {
            ModbusTcpDeviceConfig tcp => new ModbusTcpMaster(tcp.Host, tcp.Port, tcp.Timeout, time),
            ModbusRtuDeviceConfig rtu => Bus("serial:" + rtu.Line.Port, () => new SerialRtuTransport(Settings(rtu.Line))).Attach(rtu.Timeout),
            ModbusRtuTcpDeviceConfig rtuTcp => Bus($"tcp:{rtuTcp.Host.ToLowerInvariant()}:{rtuTcp.Port}", () => new TcpRtuTransport(rtuTcp.Host, rtuTcp.Port)).Attach(rtuTcp.Timeout),
            _ => throw new ArgumentException($"no Modbus master for protocol '{device.Protocol}'", nameof(device)),
        };
    }

    /// <summary>Closes every bus.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var bus in _buses.Values)
        {
            await bus.DisposeAsync();
        }

        _buses.Clear();
    }

    /// <summary>The System.IO.Ports settings of a configured line.</summary>
    public static RtuSerialSettings Settings(SerialLineConfig line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parity = line.Parity switch
        {
            SerialParity.Even => Parity.Even,
            SerialParity.Odd => Parity.Odd,
            _ => Parity.None,
        };
        return new RtuSerialSettings(line.Port, line.BaudRate, parity, line.DataBits, line.StopBits == 2 ? StopBits.Two : StopBits.One);
    }

    private RtuBus Bus(string key, Func<IRtuTransport> transport)
    {
        if (!_buses.TryGetValue(key, out var bus))
        {
            bus = new RtuBus(transport(), time);
            _buses[key] = bus;
        }

        return bus;
    }
}
