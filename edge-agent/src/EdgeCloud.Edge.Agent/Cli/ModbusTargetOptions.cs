using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// The options of the <c>modbus</c> commands that say how to reach the device: Modbus TCP
/// (<c>--host</c>), RTU on a serial port (<c>--serial</c> and line settings) or RTU over TCP
/// (<c>--host --rtu-over-tcp</c>), and the per-request timeout. Exactly one of host and serial.
/// </summary>
internal sealed class ModbusTargetOptions
{
    private readonly Option<string?> _host = new("--host") { Description = "Modbus TCP device or serial gateway (host name or IP address)" };
    private readonly Option<int> _port = new("--port") { Description = "TCP port", DefaultValueFactory = _ => 502 };
    private readonly Option<bool> _rtuOverTcp = new("--rtu-over-tcp") { Description = "The host passes RTU frames through (a serial device server), not Modbus TCP" };
    private readonly Option<string?> _serial = new("--serial") { Description = "Serial device path for Modbus RTU, for example /dev/ttyUSB0" };
    private readonly Option<int> _baud = new("--baud") { Description = "Serial baud rate", DefaultValueFactory = _ => 19200 };
    private readonly Option<string> _parity = new("--parity") { Description = "Serial parity: none, even or odd", DefaultValueFactory = _ => "even" };
    private readonly Option<int> _stopBits = new("--stop-bits") { Description = "Serial stop bits: 1 or 2", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _timeout;

    public ModbusTargetOptions(int defaultTimeoutMs)
    {
        _timeout = new Option<int>("--timeout-ms") { Description = "How long to wait for each answer", DefaultValueFactory = _ => defaultTimeoutMs };
        _parity.AcceptOnlyFromAmong("none", "even", "odd");
        _stopBits.AcceptOnlyFromAmong("1", "2");
        Range(_port, 1, 65535);
        Range(_timeout, 10, 600_000);
    }

    /// <summary>Adds the options and the host-or-serial check to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _host, _port, _rtuOverTcp, _serial, _baud, _parity, _stopBits, _timeout })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if ((r.GetValue(_host) is null) == (r.GetValue(_serial) is null))
            {
                r.AddError("give either --host (Modbus TCP, or RTU over TCP with --rtu-over-tcp) or --serial (Modbus RTU)");
            }
        });
    }

    /// <summary>The master the options describe, and a description of the endpoint for messages.</summary>
    public (IModbusMaster Master, string Endpoint) CreateMaster(ParseResult parse)
    {
        var wait = TimeSpan.FromMilliseconds(parse.GetValue(_timeout));
        var path = parse.GetValue(_serial);
        if (path is not null)
        {
            var parityText = parse.GetValue(_parity)!;
            var parity = parityText switch
            {
                "none" => SerialParity.None,
                "odd" => SerialParity.Odd,
                _ => SerialParity.Even,
            };
            var line = new SerialLineConfig(path, parse.GetValue(_baud), parity, 8, parse.GetValue(_stopBits));
            var master = new RtuMaster(new SerialRtuTransport(ModbusMasterFactory.Settings(line)), wait);
            return (master, $"{path} ({line.BaudRate} baud, 8{char.ToUpperInvariant(parityText[0])}{line.StopBits})");
        }

        var host = parse.GetValue(_host)!;
        var port = parse.GetValue(_port);
        return parse.GetValue(_rtuOverTcp)
            ? (new RtuMaster(new TcpRtuTransport(host, port), wait), $"{host}:{port} (RTU over TCP)")
            : (new ModbusTcpMaster(host, port, wait), $"{host}:{port}");
    }

    /// <summary>Checks an option's value when it is given (a default is always in range).</summary>
    public static void Range(Option<int> option, int min, int max) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < min || r.GetValueOrDefault<int>() > max)
        {
            r.AddError($"{option.Name} must be {min}-{max}");
        }
    });
}
