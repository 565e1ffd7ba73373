using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent modbus read</c>: one read of a register block from a Modbus TCP device, an RTU
/// slave on a serial port, or an RTU slave behind a serial gateway (RTU over TCP), printed in every
/// decoding side by side. For commissioning: no config file is needed.
/// </summary>
internal static class ModbusCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Modbus TCP device or serial gateway (host name or IP address)" };
        var port = new Option<int>("--port") { Description = "TCP port", DefaultValueFactory = _ => 502 };
        var rtuOverTcp = new Option<bool>("--rtu-over-tcp") { Description = "The host passes RTU frames through (a serial device server), not Modbus TCP" };
        var serial = new Option<string?>("--serial") { Description = "Serial device path for Modbus RTU, for example /dev/ttyUSB0" };
        var baud = new Option<int>("--baud") { Description = "Serial baud rate", DefaultValueFactory = _ => 19200 };
        var parity = new Option<string>("--parity") { Description = "Serial parity: none, even or odd", DefaultValueFactory = _ => "even" };
        var stopBits = new Option<int>("--stop-bits") { Description = "Serial stop bits: 1 or 2", DefaultValueFactory = _ => 1 };
        var unit = new Option<byte>("--unit", "-u") { Description = "Unit id (slave address)", DefaultValueFactory = _ => 1 };
        var area = new Option<string>("--area") { Description = "Register area: holding (function 3) or input (function 4)", DefaultValueFactory = _ => "holding" };
        var address = new Option<ushort>("--address", "-a") { Description = "First register, 0-based protocol address (not 4xxxx)", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count", "-n") { Description = "Registers to read, 1-125", DefaultValueFactory = _ => 4 };
        var timeout = new Option<int>("--timeout-ms") { Description = "How long to wait for the answer", DefaultValueFactory = _ => 1000 };
        parity.AcceptOnlyFromAmong("none", "even", "odd");
        area.AcceptOnlyFromAmong("holding", "input");
        stopBits.AcceptOnlyFromAmong("1", "2");

        var read = new Command("read", "Read a block of registers once and print every decoding (16/32/64-bit, all byte orders) side by side.")
        {
            host, port, rtuOverTcp, serial, baud, parity, stopBits, unit, area, address, count, timeout,
        };
        read.Validators.Add(r =>
        {
            if ((r.GetValue(host) is null) == (r.GetValue(serial) is null))
            {
                r.AddError("give either --host (Modbus TCP, or RTU over TCP with --rtu-over-tcp) or --serial (Modbus RTU)");
            }
        });
        Range(count, 1, ModbusPdu.MaxReadRegisters);
        Range(port, 1, 65535);
        Range(timeout, 10, 600_000);

        read.SetAction(async (parse, cancellationToken) =>
        {
            var wait = TimeSpan.FromMilliseconds(parse.GetValue(timeout));
            var path = parse.GetValue(serial);
            string endpoint;
            IModbusMaster master;
            if (path is not null)
            {
                var line = new SerialLineConfig(path, parse.GetValue(baud), ParseParity(parse.GetValue(parity)!), 8, parse.GetValue(stopBits));
                master = new RtuMaster(new SerialRtuTransport(ModbusMasterFactory.Settings(line)), wait);
                endpoint = $"{path} ({line.BaudRate} baud, 8{char.ToUpperInvariant(parse.GetValue(parity)![0])}{line.StopBits})";
            }
            else
            {
                var name = parse.GetValue(host)!;
                var tcpPort = parse.GetValue(port);
                master = parse.GetValue(rtuOverTcp)
                    ? new RtuMaster(new TcpRtuTransport(name, tcpPort), wait)
                    : new ModbusTcpMaster(name, tcpPort, wait);
                endpoint = $"{name}:{tcpPort}{(parse.GetValue(rtuOverTcp) ? " (RTU over TCP)" : "")}";
            }

            await using (master)
            {
                var registerArea = parse.GetValue(area) == "input" ? ModbusRegisterArea.Input : ModbusRegisterArea.Holding;
                return await ModbusReadTool.RunAsync(
                    master, endpoint, parse.GetValue(unit), registerArea, parse.GetValue(address), parse.GetValue(count),
                    Console.Out, Console.Error, cancellationToken);
            }
        });

        return new Command("modbus", "Commissioning tools for Modbus devices.") { read };
    }

    /// <summary>Checks an option's value when it is given (a default is always in range).</summary>
    private static void Range(Option<int> option, int min, int max) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < min || r.GetValueOrDefault<int>() > max)
        {
            r.AddError($"{option.Name} must be {min}-{max}");
        }
    });

    private static SerialParity ParseParity(string text) => text switch
    {
        "none" => SerialParity.None,
        "odd" => SerialParity.Odd,
        _ => SerialParity.Even,
    };
}
