using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;

namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>
/// pymodbus_rtu_server.py twice: as an RTU bus with units 1 and 2 on the device end of a socat pty
/// pair (115200 baud, 8N1), and as an RTU-over-TCP server on a free loopback port. Values: holding
/// register i of unit u holds u*1000 + i, input register i holds u*1000 + 500 + i; coils and discrete
/// inputs as <see cref="Coil"/> and <see cref="DiscreteInput"/>.
/// </summary>
public sealed class PymodbusRtuPeers : IAsyncLifetime
{
    public const int BaudRate = 115200;

    private SocatPtyPair? _line;
    private PythonPeer? _serial;
    private PythonPeer? _tcp;

    /// <summary>The pty end the master opens.</summary>
    public string SerialPath => _line!.MasterPath;

    /// <summary>The RTU-over-TCP port on 127.0.0.1.</summary>
    public int TcpPort => _tcp!.Ready;

    public static ushort Holding(int unit, int address) => (ushort)((unit * 1000) + address);

    public static ushort Input(int unit, int address) => (ushort)((unit * 1000) + 500 + address);

    public static bool Coil(int unit, int address) => (address + unit) % 2 == 0;

    public static bool DiscreteInput(int unit, int address) => (address + unit) % 3 == 0;

    public RtuSerialSettings Settings() =>
        new(SerialPath, BaudRate, System.IO.Ports.Parity.None, 8, System.IO.Ports.StopBits.One);

    public async Task InitializeAsync()
    {
        _line = await SocatPtyPair.StartAsync();
        _serial = await PythonPeer.StartAsync("pymodbus_rtu_server.py", "serial", _line.DevicePath, BaudRate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _tcp = await PythonPeer.StartAsync("pymodbus_rtu_server.py", "tcp");

        // The first request makes Python warm up its request path; taking that here keeps the
        // tests' own timeouts meaningful.
        await using var master = new RtuMaster(new SerialRtuTransport(Settings()), TimeSpan.FromSeconds(10));
        await master.ReadHoldingRegistersAsync(1, 0, new ushort[1], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
        }

        if (_serial is not null)
        {
            await _serial.DisposeAsync();
        }

        if (_line is not null)
        {
            await _line.DisposeAsync();
        }
    }
}
